/** The incident in words, as the moderation page says it: task-wide and requester-wide, every state. */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../core/moderation-protocol.js';
import { browsersText, incidentSentence } from './incidents.js';

const base: Incident = {
  id: 'i1',
  requester: { key: 'mturk:A1Y7GHB2KXT0RQ', name: 'Pinnacle' },
  taskId: '3TASK',
  taskTitle: 'Transcribe a clip',
  trigger: 'shared_task',
  status: 'open',
  accounts: 3,
  reports: 4,
  windowDays: 14,
  replicated: 'investigating',
  firstReportAt: '2026-06-01T10:00:00.000Z',
  lastReportAt: '2026-06-02T10:00:00.000Z',
  openedAt: '2026-06-02T10:00:00.000Z',
  decidedAt: null,
};

describe('incidents in words', () => {
  it('says what a task-wide incident is about, with singular and plural', () => {
    expect(incidentSentence(base)).toBe(
      '3 established accounts reported a suspension after task “Transcribe a clip” (3TASK) of requester Pinnacle (mturk:A1Y7GHB2KXT0RQ) within 14 days',
    );
    expect(incidentSentence({ ...base, accounts: 1, taskTitle: '', requester: { key: 'mturk:A1Y7GHB2KXT0RQ', name: '' } })).toBe(
      '1 established account reported a suspension after task 3TASK of requester mturk:A1Y7GHB2KXT0RQ within 14 days',
    );
  });

  it('says what a requester-wide incident is about', () => {
    const wide = { ...base, taskId: null, taskTitle: null, trigger: 'report_rate' as const, replicated: null };
    expect(incidentSentence(wide)).toBe(
      "3 established accounts reported suspensions after requester Pinnacle (mturk:A1Y7GHB2KXT0RQ)'s tasks — far above its usual rate",
    );
    expect(browsersText(wide)).toMatch(/^No single task to warn about/);
  });

  it('says how browsers see each state', () => {
    expect(browsersText(base)).toBe('Workers who did this task are warned: under investigation');
    expect(browsersText({ ...base, status: 'confirmed', replicated: 'confirmed' })).toBe('Workers who did this task are warned: confirmed');
    expect(browsersText({ ...base, replicated: null })).toBe('Workers are not warned yet (below the threshold for "under investigation")');
    expect(browsersText({ ...base, status: 'dismissed', replicated: null })).toBe('Workers are not warned (dismissed)');
  });
});

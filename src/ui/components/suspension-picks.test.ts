import { describe, expect, it } from 'vitest';
import { normalizeSuspensionReport, SuspensionReportInput } from '../../core/schemas.js';
import type { OwnSuspensionReport } from '../../core/sync-protocol.js';
import type { WorkLogEntry } from '../../core/work-log.js';
import { groupEntries, payloadFromReport, picksFromPayload, readTypedRequester, reportCounts, reportPayload, weekLabel } from './suspension-picks.js';

const A = 'mturk:A1ACMELABS0001';
const B = 'mturk:A2BETARESEARCH9';

function entry(requester: string, taskId: string, assignmentId: string | null, at: number, extra: Partial<WorkLogEntry> = {}): WorkLogEntry {
  return {
    id: `${requester}|${taskId}|${assignmentId ?? ''}`,
    requester,
    requesterName: requester === A ? 'Acme Labs' : 'Beta Research',
    taskId,
    assignmentId,
    taskTitle: `Task ${taskId}`,
    reward: null,
    firstSeenAt: at,
    acceptedAt: at,
    submittedAt: null,
    returnedAt: null,
    outcome: null,
    decidedAt: null,
    lastAt: at,
    reviewed: false,
    ...extra,
  };
}

describe('groupEntries', () => {
  it('groups by requester in order of latest work, one row per task group', () => {
    const groups = groupEntries([entry(B, 'T3', 'x1', 300), entry(A, 'T1', 'a1', 200, { submittedAt: 250 }), entry(A, 'T1', 'a2', 100), entry(A, 'T2', null, 50)]);
    expect(groups.map((g) => [g.requester, g.requesterName, g.tasks.map((t) => [t.taskId, t.times, t.doneAt])])).toEqual([
      [B, 'Beta Research', [['T3', 1, 300]]],
      [A, 'Acme Labs', [['T1', 2, 250], ['T2', 1, 50]]],
    ]);
  });

  it('keeps picked tasks on screen even when the search or window hides them', () => {
    const picked = { requester: B, requesterName: 'Beta Research', taskId: 'OLD', taskTitle: 'Old task', doneAt: null, times: 0 } as const;
    const groups = groupEntries([entry(A, 'T1', null, 1)], [picked]);
    expect(groups.map((g) => g.tasks.map((t) => t.taskId))).toEqual([['T1'], ['OLD']]);
  });
});

describe('readTypedRequester', () => {
  it('reads MTurk ids and links, Prolific ids, and keys', () => {
    expect(readTypedRequester('A1ACMELABS0001', '')).toBe(A);
    expect(readTypedRequester(' a1acmelabs0001 ', '')).toBe(A);
    expect(readTypedRequester('https://worker.mturk.com/requesters/A1ACMELABS0001/projects?ref=w_pl_prvw', '')).toBe(A);
    expect(readTypedRequester('https://worker.mturk.com/contact_requester/hit_type_messages/new?hit_type_message%5Brequester_id%5D=A1ACMELABS0001', '')).toBe(A);
    expect(readTypedRequester('5f0c1a2b3c4d5e6f70819203', '')).toBe('prolific:5f0c1a2b3c4d5e6f70819203');
    expect(readTypedRequester('https://app.prolific.com/researcher/5F0C1A2B3C4D5E6F70819203/studies', '')).toBe('prolific:5f0c1a2b3c4d5e6f70819203');
    expect(readTypedRequester(B, '')).toBe(B);
  });

  it('takes a name alone as a Prolific researcher known by name, and refuses anything else', () => {
    expect(readTypedRequester('', 'Dr  Jane Doe')).toBe('prolific-name:dr%20jane%20doe');
    expect(readTypedRequester('', '')).toBeNull();
    expect(readTypedRequester('not an id', 'Acme')).toBeNull();
    expect(readTypedRequester('A1SHORT', '')).toBeNull();
    expect(readTypedRequester('mturk:nope', '')).toBeNull();
  });
});

describe('reportPayload', () => {
  const picks = [
    { requester: A, requesterName: 'Acme Labs', taskId: 'T1', taskTitle: 'Survey', doneAt: 1, times: 1 },
    { requester: B, requesterName: 'Beta Research', taskId: 'T9', taskTitle: 'Transcribe', doneAt: 2, times: 1 },
  ] as const;

  it('keeps each task under its own requester, and names alone only requesters without a task', () => {
    const payload = reportPayload({
      tasks: picks,
      named: [
        { requester: A, requesterName: 'Acme Labs' },
        { requester: 'prolific:5f0c1a2b3c4d5e6f70819203', requesterName: 'P Lab' },
      ],
      suspendedOn: '2026-12-02',
      reinstated: false,
      note: '',
    });
    const parsed = SuspensionReportInput.parse(payload);
    const report = normalizeSuspensionReport(parsed);
    expect(report.tasks.map((t) => [t.requester, t.taskId])).toEqual([
      [A, 'T1'],
      [B, 'T9'],
    ]);
    expect(report.requesters.map((r) => r.requester)).toEqual([A, B, 'prolific:5f0c1a2b3c4d5e6f70819203']);
    expect(report.suspendedWeek).toBe('2026-11-30');
    expect(reportCounts(payload)).toEqual({ tasks: 2, requesters: 3 });
  });

  it('reads a report queued before issue 11 (one requester at the top) back into picks', () => {
    const legacy = { requester: A, requesterName: 'Acme Labs', tasks: [{ taskId: 'T1', taskTitle: 'Survey' }], suspendedOn: '2026-12-02' };
    const { tasks, named } = picksFromPayload(legacy);
    expect(tasks.map((t) => [t.requester, t.requesterName, t.taskId])).toEqual([[A, 'Acme Labs', 'T1']]);
    expect(named).toEqual([]);
    expect(picksFromPayload({ ...legacy, tasks: [] }).named).toEqual([{ requester: A, requesterName: 'Acme Labs' }]);
  });

  it('turns a delivered report into the edit that marks it reinstated, tasks, requesters and the note kept', () => {
    const report: OwnSuspensionReport = {
      id: 'r1',
      tasks: [{ requester: A, requesterName: 'Acme Labs', taskId: 'T1', taskTitle: 'Survey' }],
      requesters: [
        { requester: A, requesterName: 'Acme Labs' },
        { requester: B, requesterName: 'Beta Research' },
      ],
      suspendedWeek: '2026-11-30',
      reinstated: false,
      note: 'Suspended the morning after.',
      status: 'open',
      reportedAt: '2026-12-02T10:00:00.000Z',
      updatedAt: '2026-12-02T10:00:00.000Z',
    };
    const payload = payloadFromReport(report, { reinstated: true });
    expect(SuspensionReportInput.safeParse(payload).success).toBe(true);
    expect(payload).toMatchObject({ reinstated: true, note: 'Suspended the morning after.', suspendedOn: '2026-11-30', requesters: [{ requester: B }], tasks: [{ requester: A, taskId: 'T1' }] });
  });
});

describe('helpers', () => {
  it('names the Monday a date falls in', () => {
    expect(weekLabel('2026-12-03', 'en-US')).toBe('November 30, 2026');
    expect(weekLabel('', 'en-US')).toBe('');
  });
});

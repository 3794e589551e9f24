/** The work log's export: RFC 4180 CSV that no spreadsheet runs as a formula, and JSON. */
import { describe, expect, it } from 'vitest';
import type { WorkLogEntry } from '../core/work-log.js';
import { csvCell, workLogCsv, workLogExport, workLogJson } from './work-log-export.js';

const ENTRY: WorkLogEntry = {
  id: 'mturk:ABSNVK2V753TM|3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ|3AX',
  requester: 'mturk:ABSNVK2V753TM',
  requesterName: 'O\'Brien "Quick" Surveys, Inc.',
  taskId: '3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ',
  assignmentId: '3AX',
  taskTitle: '=HYPERLINK("http://evil.example","click")',
  reward: { cents: 75, currency: 'USD' },
  firstSeenAt: Date.UTC(2025, 5, 1, 10),
  acceptedAt: Date.UTC(2025, 5, 1, 10, 5),
  submittedAt: Date.UTC(2025, 5, 1, 12),
  returnedAt: null,
  outcome: 'approved',
  decidedAt: Date.UTC(2025, 5, 2),
  lastAt: Date.UTC(2025, 5, 2),
  reviewed: false,
};

describe('CSV', () => {
  it('quotes cells holding quotes, commas and line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"]);
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('=A1,B1')).toBe('"\'=A1,B1"');
    expect(csvCell('1+1')).toBe('1+1');
  });

  it('a header row, then one CRLF-ended row per entry, times in ISO 8601', () => {
    const text = workLogCsv([ENTRY, { ...ENTRY, id: 'x', assignmentId: null, reward: null, outcome: null, decidedAt: null, acceptedAt: null, submittedAt: null, reviewed: true }]);
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe('requester,requester_name,task_id,assignment_id,task_title,reward,currency,first_seen_at,accepted_at,submitted_at,returned_at,outcome,decided_at,last_at,reviewed');
    expect(lines[1]).toBe(
      'mturk:ABSNVK2V753TM,"O\'Brien ""Quick"" Surveys, Inc.",3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ,3AX,"\'=HYPERLINK(""http://evil.example"",""click"")",0.75,USD,' +
        '2025-06-01T10:00:00.000Z,2025-06-01T10:05:00.000Z,2025-06-01T12:00:00.000Z,,approved,2025-06-02T00:00:00.000Z,2025-06-02T00:00:00.000Z,no',
    );
    expect(lines[2]).toMatch(/,,,,,2025-06-02T00:00:00\.000Z,yes$/);
  });
});

describe('JSON and the file', () => {
  it('JSON holds the entries and when they were exported, nothing else', () => {
    const parsed = JSON.parse(workLogJson([ENTRY], Date.UTC(2025, 5, 3))) as Record<string, unknown>;
    expect(parsed).toEqual({ exportedAt: '2025-06-03T00:00:00.000Z', entries: [ENTRY] });
  });

  it('names the file by day and format', () => {
    const now = Date.UTC(2025, 5, 3, 8);
    expect(workLogExport([ENTRY], 'csv', now)).toMatchObject({ filename: 'lantern-work-log-2025-06-03.csv', mime: 'text/csv;charset=utf-8' });
    expect(workLogExport([ENTRY], 'json', now)).toMatchObject({ filename: 'lantern-work-log-2025-06-03.json', mime: 'application/json' });
  });
});

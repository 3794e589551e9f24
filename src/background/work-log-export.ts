/**
 * The work log as a file the worker saves (options page → Export). Built in the browser and
 * handed to the page, never sent anywhere. It holds only what the log holds: no account id,
 * no server address.
 */
import type { WorkLogEntry } from '../core/work-log.js';

const COLUMNS = [
  'requester',
  'requester_name',
  'task_id',
  'assignment_id',
  'task_title',
  'reward',
  'currency',
  'first_seen_at',
  'accepted_at',
  'submitted_at',
  'returned_at',
  'outcome',
  'decided_at',
  'last_at',
  'reviewed',
] as const;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break. Text that a
 * spreadsheet would run as a formula (= + - @, or a tab / carriage return before one) gets a
 * leading apostrophe: titles and names come from requesters, who must not get to run one.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function workLogCsv(entries: readonly WorkLogEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.requester,
      e.requesterName,
      e.taskId,
      e.assignmentId ?? '',
      e.taskTitle,
      e.reward ? (e.reward.cents / 100).toFixed(2) : '',
      e.reward?.currency ?? '',
      iso(e.firstSeenAt),
      iso(e.acceptedAt),
      iso(e.submittedAt),
      iso(e.returnedAt),
      e.outcome ?? '',
      iso(e.decidedAt),
      iso(e.lastAt),
      e.reviewed ? 'yes' : 'no',
    ]
      .map(csvCell)
      .join(','),
  );
  // CRLF line ends, as RFC 4180 says; spreadsheets read them everywhere.
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

export function workLogJson(entries: readonly WorkLogEntry[], exportedAt: number): string {
  return JSON.stringify({ exportedAt: new Date(exportedAt).toISOString(), entries }, null, 2);
}

export function workLogExport(entries: readonly WorkLogEntry[], format: 'csv' | 'json', now = Date.now()) {
  const day = new Date(now).toISOString().slice(0, 10);
  return format === 'csv'
    ? { filename: `lantern-work-log-${day}.csv`, mime: 'text/csv;charset=utf-8', text: workLogCsv(entries) }
    : { filename: `lantern-work-log-${day}.json`, mime: 'application/json', text: workLogJson(entries, now) };
}

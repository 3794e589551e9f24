/**
 * Reports written before migration 004 kept their tasks only in `tasks_json` and their
 * suspension date to the day. This brings them into the issue-11 shape: their tasks as
 * `suspension_report_tasks` rows (under the report's requester, dated by the report), so
 * they count in the correlation; their date cut to the Monday of its week, like every new
 * report (privacy: the server keeps no finer date).
 */
import type { Migration } from './migration.js';

export const migration005: Migration = {
  version: 5,
  name: 'report_backfill',
  statements: (dialect) =>
    dialect === 'postgres'
      ? [
          `INSERT INTO suspension_report_tasks (report_row_id, account_id, requester_key, task_id, task_title, reported_at)
           SELECT s.id, s.account_id, s.requester_key, j->>'taskId', COALESCE(j->>'taskTitle', ''), s.reported_at
           FROM suspension_reports s CROSS JOIN LATERAL json_array_elements(s.tasks_json::json) AS j
           WHERE s.withdrawn_at IS NULL AND json_typeof(j) = 'object' AND j->>'taskId' IS NOT NULL
           ON CONFLICT DO NOTHING`,
          `UPDATE suspension_reports SET suspended_on = to_char(suspended_on::date - (extract(isodow FROM suspended_on::date)::int - 1), 'YYYY-MM-DD')`,
        ]
      : [
          `INSERT INTO suspension_report_tasks (report_row_id, account_id, requester_key, task_id, task_title, reported_at)
           SELECT s.id, s.account_id, s.requester_key, json_extract(j.value, '$.taskId'), COALESCE(json_extract(j.value, '$.taskTitle'), ''), s.reported_at
           FROM suspension_reports s, json_each(s.tasks_json) AS j
           WHERE s.withdrawn_at IS NULL AND j.type = 'object' AND json_extract(j.value, '$.taskId') IS NOT NULL
           ON CONFLICT DO NOTHING`,
          `UPDATE suspension_reports SET suspended_on = date(suspended_on, '-' || ((CAST(strftime('%w', suspended_on) AS INTEGER) + 6) % 7) || ' days')`,
        ],
};

/**
 * The suspension early warning's storage contract (issue 11), on a real SQLite file and a
 * real Postgres schema: reports across requesters, correlation by distinct established
 * accounts within a window, incidents opened exactly once, suspect task groups in the
 * replicated row (and the checksum), edits and withdrawals, notes deleted after closing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../core/rules.js';
import type { SuspensionReportInput } from '../../core/schemas.js';
import { EncodedSummary, checksumOf } from '../../core/sync-protocol.js';
import { DAY, KEY_A, KEY_B, KEY_P, T0, ctx, makeAccount, summaryOf } from '../testing/builders.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/databases.js';
import { recomputeRequester } from './aggregate.js';
import type { SqlDriver } from './driver.js';
import { correlation, listIncidents, purgeClosedIncidentNotes, setIncidentStatus } from './incidents.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { openPostgresDriver } from './postgres-driver.js';
import { openStorage } from './sql-storage.js';
import { openSqliteDriver } from './sqlite-driver.js';
import type { AccountRecord, Storage } from './storage.js';

const NAMES: Record<string, string> = { [KEY_A]: 'Acme Labs', [KEY_B]: 'Beta Research', [KEY_P]: 'Prolific Lab' };
const task = (requester: string, taskId: string) => ({ requester: requester as typeof KEY_A, requesterName: NAMES[requester]!, taskId, taskTitle: `Task ${taskId}` });
const report = (over: Partial<SuspensionReportInput> = {}): SuspensionReportInput => ({ tasks: [], requesters: [], suspendedOn: '2026-06-01', reinstated: false, note: '', ...over });
const rules = DEFAULT_RULES;

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`incidents contract on ${backend}`, () => {
    let db: TestDatabase;
    let storage: Storage;
    let driver: SqlDriver;
    const rows = <T>(sql: string, params: (string | number | null)[] = []) => driver.query<T>(sql, params);
    const count = async (sql: string, params: (string | number | null)[] = []) => Number((await rows<{ n: number }>(sql, params))[0]?.n ?? 0);
    const file = async (account: AccountRecord, at: number, input: SuspensionReportInput) => (await storage.reportSuspension(ctx(account, at), input)).body as { id: string; created: boolean };
    const correlate = (days: number, min: number, now: number) => driver.read((tx) => correlation(tx, rules, days, min, now));
    const incidents = () => driver.read((tx) => listIncidents(tx, rules, { page: 1, perPage: 50, offset: 0 }));
    const checksumOk = async () => {
      const { head, rows: texts } = await storage.snapshot();
      expect(checksumOf(texts.map((r) => EncodedSummary.parse(JSON.parse(r))))).toEqual(head.checksum);
      return texts;
    };

    beforeEach(async () => {
      db = await createTestDatabase(backend);
      storage = await openStorage(db.database, { ...db.options, now: () => T0 });
      driver = backend === 'sqlite' ? openSqliteDriver(db.database) : openPostgresDriver(db.database, { schema: db.options.schema! });
    });
    afterEach(async () => {
      await driver.close();
      await storage.close();
      await db.drop();
    });

    it('counts a task under its own requester, whatever requester the report was filed under', async () => {
      const [one, two] = [await makeAccount(storage, T0), await makeAccount(storage, T0)];
      await file(one, T0, report({ tasks: [task(KEY_A, 'TA1'), task(KEY_B, 'TB1')] }));
      // Legacy shape: the top-level requester, tasks without their own requester.
      await file(two, T0 + 1000, { requester: KEY_B, requesterName: 'Beta Research', tasks: [{ taskId: 'TB1', taskTitle: 'Task TB1' }], suspendedOn: '2026-05-30', reinstated: false, note: '' });
      const view = await correlate(14, 1, T0 + 2000);
      expect(view.days).toBe(14);
      expect(view.rows.map((r) => [r.requester.key, r.requester.name, r.taskId, r.accounts, r.reports])).toEqual([
        [KEY_B, 'Beta Research', 'TB1', 2, 2],
        [KEY_A, 'Acme Labs', 'TA1', 1, 1],
      ]);
      const [first] = view.rows;
      expect(first).toMatchObject({ firstReportAt: new Date(T0).toISOString(), lastReportAt: new Date(T0 + 1000).toISOString() });
      // Two established accounts on one task group: the incident opened, under KEY_B.
      const list = await incidents();
      expect(list.items.map((i) => [i.requester.key, i.taskId, i.trigger, i.status, i.accounts])).toEqual([[KEY_B, 'TB1', 'shared_task', 'open', 2]]);
      expect(first?.incidentId).toBe(list.items[0]?.id);
      expect((await correlate(14, 2, T0 + 2000)).rows.map((r) => r.taskId)).toEqual(['TB1']);
      // One report, one id; a row per requester involved.
      expect(await count(`SELECT COUNT(*) AS n FROM suspension_reports WHERE account_id = ?`, [one.id])).toBe(2);
      expect(await count(`SELECT COUNT(DISTINCT report_id) AS n FROM suspension_reports WHERE account_id = ?`, [one.id])).toBe(1);
    });

    it('counts distinct established accounts only: young, muted and banned accounts are reports, not accounts', async () => {
      const old = await makeAccount(storage, T0, 30);
      const young = await makeAccount(storage, T0, 2);
      const muted = await makeAccount(storage, T0, 30);
      const banned = await makeAccount(storage, T0, 30);
      for (const account of [old, young, muted, banned]) await file(account, T0, report({ tasks: [task(KEY_A, 'T1')] }));
      // The same account reporting again is still one account.
      await file(old, T0 + 1, report({ tasks: [task(KEY_A, 'T1')], reinstated: true }));
      await driver.write((tx) => tx.run('UPDATE accounts SET muted_until = ? WHERE id = ?', [T0 + 10 * DAY, muted.id]));
      await driver.write((tx) => tx.run('UPDATE accounts SET banned_at = ? WHERE id = ?', [T0, banned.id]));
      const [row] = (await correlate(14, 1, T0 + 1000)).rows;
      expect(row).toMatchObject({ taskId: 'T1', accounts: 1, reports: 4 });
      // Muted and banned were still counted when they wrote: the incident opened then (2 established).
      const later = await makeAccount(storage, T0, 1);
      await file(later, T0 + 2000, report({ tasks: [task(KEY_A, 'T1')] }));
      expect((await incidents()).items[0]).toMatchObject({ accounts: 1, reports: 5 });
    });

    it('opens at openAccounts, replicates at investigateAccounts, exactly within the window', async () => {
      const accounts = await Promise.all([0, 1, 2, 3].map(() => makeAccount(storage, T0 - 20 * DAY, 30)));
      const edge = T0 - rules.incidents.windowDays * DAY;
      // One report just outside the window and one just inside.
      await file(accounts[0]!, edge - 1, report({ tasks: [task(KEY_A, 'OUT')] }));
      await file(accounts[1]!, edge, report({ tasks: [task(KEY_A, 'IN')] }));
      await file(accounts[2]!, T0, report({ tasks: [task(KEY_A, 'OUT'), task(KEY_A, 'IN')] }));
      expect((await correlate(rules.incidents.windowDays, 1, T0)).rows.map((r) => [r.taskId, r.accounts])).toEqual([
        ['IN', 2],
        ['OUT', 1],
      ]);
      let list = await incidents();
      expect(list.items.map((i) => [i.taskId, i.replicated])).toEqual([['IN', null]]);
      expect(list.items[0]?.firstReportAt).toBe(new Date(edge).toISOString());
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([]);

      await file(accounts[3]!, T0 + 1000, report({ tasks: [task(KEY_A, 'IN')] }));
      list = await incidents();
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ taskId: 'IN', accounts: 3, reports: 3, replicated: 'investigating', status: 'open' });
      // Replicated as "under investigation", since the week of the first report; the checksum still holds.
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([{ taskId: 'IN', state: 'investigating', accounts: 3, since: '2026-05-18' }]);
      await checksumOk();
      const events = await rows<{ event: string; body_json: string }>('SELECT event, body_json FROM webhook_deliveries ORDER BY created_at, event');
      expect(events.map((e) => e.event)).toEqual(['incident.opened', 'incident.investigating']);
      const body = JSON.parse(events[0]!.body_json);
      expect(body.incident).toMatchObject({ requester: { key: KEY_A, name: 'Acme Labs' }, taskId: 'IN', accounts: 2, status: 'open' });
      for (const a of accounts) expect(events.map((e) => e.body_json).join('')).not.toContain(a.id);
      const audit = await rows<{ moderator: string; action: string; reason: string }>(`SELECT moderator, action, reason FROM audit_log WHERE action = 'open_incident'`);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ moderator: 'lantern' });
      expect(audit[0]?.reason).toMatch(/2 established accounts .* within 14 days \(threshold 2\)/);
    });

    it('opens an incident exactly once when ten accounts report the same task at the same moment', async () => {
      const accounts = await Promise.all(Array.from({ length: 10 }, () => makeAccount(storage, T0, 30)));
      const before = await storage.syncHead();
      await Promise.all(accounts.map((a, i) => file(a, T0, report({ tasks: [task(KEY_A, 'HOT'), task(i % 2 ? KEY_B : KEY_P, `OTHER${i}`)] }))));
      expect(await count('SELECT COUNT(*) AS n FROM incidents WHERE task_key = ?', ['HOT'])).toBe(1);
      expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'open_incident' AND target IN (SELECT 'incident:' || id FROM incidents WHERE task_key = 'HOT')`)).toBe(1);
      expect(await count(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE event = 'incident.opened' AND body_json LIKE '%"taskId":"HOT"%'`)).toBe(1);
      expect(await count(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE event = 'incident.investigating'`)).toBe(1);
      expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'investigate_incident' AND target IN (SELECT 'incident:' || id FROM incidents WHERE task_key = 'HOT')`)).toBe(1);
      const hot = (await incidents()).items.find((i) => i.taskId === 'HOT');
      expect(hot).toMatchObject({ accounts: 10, reports: 10, replicated: 'investigating' });
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([{ taskId: 'HOT', state: 'investigating', accounts: 10, since: '2026-06-01' }]);
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(10);
      expect((await storage.syncHead()).seq).toBeGreaterThan(before.seq);
      await checksumOk();
    });

    it('opens a requester-wide incident when its report rate is far above its own baseline', async () => {
      const quiet = await Promise.all([0, 1, 2].map(() => makeAccount(storage, T0, 30)));
      for (const a of quiet) await file(a, T0, report({ requesters: [{ requester: KEY_P, requesterName: 'Prolific Lab' }] }));
      const wide = (await incidents()).items.filter((i) => i.trigger === 'report_rate');
      expect(wide.map((i) => [i.requester.key, i.taskId, i.accounts])).toEqual([[KEY_P, null, 3]]);
      // A requester with a steady history (20 reports over the baseline period, never 3 within
      // a window) has a baseline of 20 × 14 / 180 ≈ 1.6 reports per window: 3 accounts are not 4× that.
      const history = await Promise.all(Array.from({ length: 20 }, () => makeAccount(storage, T0 - 200 * DAY, 30)));
      for (const [i, a] of history.entries()) await file(a, T0 - 190 * DAY + i * 9 * DAY, report({ requesters: [{ requester: KEY_B, requesterName: 'Beta' }] }));
      expect((await incidents()).items.filter((i) => i.requester.key === KEY_B)).toEqual([]);
      for (const a of quiet) await file(a, T0, report({ requesters: [{ requester: KEY_B, requesterName: 'Beta' }] }));
      expect((await incidents()).items.filter((i) => i.requester.key === KEY_B)).toEqual([]);
    });

    it('keeps the suspension date to the week: a Wednesday is stored as its Monday', async () => {
      const account = await makeAccount(storage, T0);
      const { id } = await file(account, T0, report({ tasks: [task(KEY_A, 'T1')], suspendedOn: '2026-06-03' }));
      expect(await rows('SELECT suspended_on FROM suspension_reports WHERE report_id = ?', [id])).toEqual([{ suspended_on: '2026-06-01' }]);
      const [mine] = await storage.ownSuspensionReports(account.id);
      expect(mine).toMatchObject({ id, suspendedWeek: '2026-06-01', status: 'open', tasks: [{ requester: KEY_A, requesterName: 'Acme Labs', taskId: 'T1' }] });
      expect(JSON.stringify(await db.dumpTables())).not.toContain('2026-06-03');
    });

    it('edits and withdraws a report: counts drop, rows stay, someone else’s id is a 404', async () => {
      const author = await makeAccount(storage, T0);
      const other = await makeAccount(storage, T0);
      await file(other, T0, report({ tasks: [task(KEY_A, 'T1')] }));
      const { id } = await file(author, T0, report({ tasks: [task(KEY_A, 'T1'), task(KEY_B, 'T2')], note: 'my private note' }));
      expect((await summaryOf(storage, KEY_B))?.suspensions.accounts).toBe(1);
      expect((await incidents()).items.map((i) => i.accounts)).toEqual([2]);
      const rowCount = () => count('SELECT COUNT(*) AS n FROM suspension_reports');
      expect(await rowCount()).toBe(3);

      // Replaced: KEY_B is no longer named, the week and reinstated change; the id stays.
      const edited = await storage.updateSuspensionReport(ctx(author, T0 + DAY), id, report({ tasks: [task(KEY_A, 'T1')], suspendedOn: '2026-05-28', reinstated: true }));
      expect(edited).toMatchObject({ status: 200, body: { id, created: false } });
      expect((await summaryOf(storage, KEY_B))?.suspensions.accounts).toBe(0);
      expect(await rowCount()).toBe(3);
      expect(await storage.ownSuspensionReports(author.id)).toMatchObject([{ id, suspendedWeek: '2026-05-25', reinstated: true, requesters: [{ requester: KEY_A }] }]);
      await expect(storage.updateSuspensionReport(ctx(other, T0), id, report({ tasks: [task(KEY_A, 'T1')] }))).rejects.toMatchObject({ status: 404, field: 'id' });
      await expect(storage.withdrawSuspensionReport(ctx(other, T0), id)).rejects.toMatchObject({ status: 404, field: 'id' });

      const withdrawn = await storage.withdrawSuspensionReport(ctx(author, T0 + DAY), id);
      expect(withdrawn).toMatchObject({ status: 200, body: { withdrawn: id } });
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(1);
      expect((await incidents()).items.map((i) => i.accounts)).toEqual([1]);
      expect((await correlate(14, 1, T0 + DAY)).rows.map((r) => r.accounts)).toEqual([1]);
      expect(await rowCount()).toBe(3);
      expect(await storage.ownSuspensionReports(author.id)).toEqual([]);
      expect(JSON.stringify(await db.dumpTables())).not.toContain('my private note');
      await expect(storage.withdrawSuspensionReport(ctx(author, T0 + DAY), id)).rejects.toMatchObject({ status: 404 });
      await expect(storage.updateSuspensionReport(ctx(author, T0 + DAY), id, report({ tasks: [task(KEY_A, 'T1')] }))).rejects.toMatchObject({ status: 404 });

      // A later report naming the requester again brings the withdrawn row back.
      const again = await file(author, T0 + 2 * DAY, report({ tasks: [task(KEY_A, 'T1')] }));
      expect(again.created).toBe(true);
      expect(await rowCount()).toBe(3);
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(2);
      // A moderator dismissed it; an edit keeps that, a new report is open again.
      await driver.write((tx) => tx.run(`UPDATE suspension_reports SET status = 'dismissed' WHERE report_id = ?`, [again.id]));
      await storage.updateSuspensionReport(ctx(author, T0 + 2 * DAY), again.id, report({ tasks: [task(KEY_A, 'T1')], reinstated: true }));
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(1);
      expect((await storage.ownSuspensionReports(author.id))[0]?.status).toBe('dismissed');
      await file(author, T0 + 3 * DAY, report({ tasks: [task(KEY_A, 'T1')] }));
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(2);
      expect((await storage.ownSuspensionReports(author.id))[0]?.status).toBe('open');
      await checksumOk();
    });

    it('migration 005 brings reports written before issue 11 into the new shape: task rows, dates to the week', async () => {
      const legacy = await createTestDatabase(backend);
      const old = backend === 'sqlite' ? openSqliteDriver(legacy.database) : openPostgresDriver(legacy.database, { schema: legacy.options.schema! });
      try {
        await migrate(old, MIGRATIONS.filter((m) => m.version < 4), T0);
        await old.write(async (tx) => {
          await tx.run(`INSERT INTO accounts (id, secret_hash, created_at) VALUES ('acct1', 'h1', ?)`, [T0 - 30 * DAY]);
          for (const key of [KEY_A, KEY_B]) {
            await tx.run(`INSERT INTO requesters (key, name, bucket, seq, row_json, row_digest, updated_at) VALUES (?, 'R', 'ab', 0, '', 0, ?)`, [key, T0]);
          }
          const insert = `INSERT INTO suspension_reports (id, account_id, requester_key, suspended_on, reinstated, tasks_json, note, reported_at, updated_at)
            VALUES (?, 'acct1', ?, ?, 0, ?, '', ?, ?)`;
          await tx.run(insert, ['r1', KEY_A, '2026-05-30', JSON.stringify([{ taskId: 'OLD1', taskTitle: 'Old task' }, { taskId: 'OLD2', taskTitle: 'Other' }]), T0, T0]);
          await tx.run(insert, ['r2', KEY_B, '2026-05-31', '[]', T0, T0]);
        });
        expect(await migrate(old, MIGRATIONS, T0)).toEqual(MIGRATIONS.filter((m) => m.version >= 4).map((m) => m.version));
        expect(await old.query('SELECT id, report_id, suspended_on FROM suspension_reports ORDER BY id')).toEqual([
          { id: 'r1', report_id: 'r1', suspended_on: '2026-05-25' },
          { id: 'r2', report_id: 'r2', suspended_on: '2026-05-25' },
        ]);
        expect(await old.query('SELECT report_row_id, requester_key, task_id, task_title, reported_at FROM suspension_report_tasks ORDER BY task_id')).toEqual([
          { report_row_id: 'r1', requester_key: KEY_A, task_id: 'OLD1', task_title: 'Old task', reported_at: T0 },
          { report_row_id: 'r1', requester_key: KEY_A, task_id: 'OLD2', task_title: 'Other', reported_at: T0 },
        ]);
        expect((await old.read((tx) => correlation(tx, rules, 14, 1, T0))).rows.map((r) => [r.taskId, r.accounts])).toEqual([
          ['OLD1', 1],
          ['OLD2', 1],
        ]);
      } finally {
        await old.close();
        await legacy.drop();
      }
    });

    it('carries suspect tasks in the replicated row: confirmed by a moderator, gone when dismissed; other rows keep their text', async () => {
      const accounts = await Promise.all([0, 1].map(() => makeAccount(storage, T0)));
      for (const a of accounts) await file(a, T0, report({ tasks: [task(KEY_A, 'T1')], note: 'seen by moderators' }));
      await file(accounts[0]!, T0, report({ requesters: [{ requester: KEY_B, requesterName: 'Beta' }] }));
      const [incident] = (await incidents()).items;
      expect(incident?.replicated).toBeNull();
      // As a moderator's action would: decide, then recompute the requester again in the same transaction.
      await driver.write(async (tx) => {
        await setIncidentStatus(tx, rules, incident!.id, 'confirmed', T0 + DAY);
        expect(await recomputeRequester(tx, KEY_A, T0 + DAY, rules)).toBe(false);
      });
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([{ taskId: 'T1', state: 'confirmed', accounts: 2, since: '2026-06-01' }]);
      let texts = await checksumOk();
      const rowOf = (key: string) => JSON.parse(texts.find((t) => JSON.parse(t)[0] === key)!) as unknown[];
      expect(rowOf(KEY_A)).toHaveLength(9);
      expect(rowOf(KEY_B)).toHaveLength(8);
      expect((await storage.ownSuspensionReports(accounts[1]!.id))[0]?.status).toBe('confirmed');
      expect(await rows(`SELECT event FROM webhook_deliveries WHERE event = 'incident.confirmed'`)).toHaveLength(1);

      // Notes are deleted noteRetentionDays after the incident closed, not before.
      const retention = rules.incidents.noteRetentionDays * DAY;
      expect(await purgeClosedIncidentNotes(driver, rules, T0 + DAY + retention - 1)).toBe(0);
      expect(await purgeClosedIncidentNotes(driver, rules, T0 + DAY + retention)).toBe(2);
      expect(JSON.stringify(await db.dumpTables())).not.toContain('seen by moderators');
      expect(await count(`SELECT COUNT(*) AS n FROM suspension_reports WHERE note_purged_at IS NOT NULL`)).toBe(2);
      expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'purge_report_notes'`)).toBe(1);

      await driver.write((tx) => setIncidentStatus(tx, rules, incident!.id, 'dismissed', T0 + 2 * DAY));
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([]);
      texts = await checksumOk();
      expect(rowOf(KEY_A)).toHaveLength(8);
      await expect(driver.write((tx) => setIncidentStatus(tx, rules, incident!.id, 'dismissed', T0))).rejects.toMatchObject({ status: 409 });
      await expect(driver.write((tx) => setIncidentStatus(tx, rules, 'missing', 'confirmed', T0))).rejects.toMatchObject({ status: 404 });
    });
  });
}

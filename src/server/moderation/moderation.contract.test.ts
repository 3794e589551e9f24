/**
 * The moderation storage contract: every method on a real SQLite file and a real Postgres
 * schema. Each action must change the summary and the sync feed in the same transaction
 * and write one audit entry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../core/rules.js';
import { EncodedSummary, checksumOf } from '../../core/sync-protocol.js';
import { DAY, KEY_A, KEY_B, KEY_P, T0, ctx, makeAccount, review, summaryOf } from '../testing/builders.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/databases.js';
import { openStorage } from '../storage/sql-storage.js';
import type { AccountRecord, Storage } from '../storage/storage.js';
import type { Moderator } from '../storage/moderation-queues.js';

const MOD: Moderator = { accountId: 'x', pseudonym: 'mod-test', role: 'moderator' };

async function writeReview(storage: Storage, author: AccountRecord, over: Parameters<typeof review>[0] = {}, now = T0): Promise<string> {
  const written = await storage.createReview(ctx(author, now), review(over));
  return (written.body as { review: { id: string } }).review.id;
}

async function checksumOk(storage: Storage) {
  const { head, rows } = await storage.snapshot();
  expect(head.checksum).toEqual(checksumOf(rows.map((r) => EncodedSummary.parse(JSON.parse(r)))));
}

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`moderation storage on ${backend}`, () => {
    let db: TestDatabase;
    let storage: Storage;

    beforeEach(async () => {
      db = await createTestDatabase(backend);
      storage = await openStorage(db.database, { ...db.options, now: () => T0 });
    });
    afterEach(async () => {
      await storage.close();
      await db.drop();
    });

    const lastAudit = async () => (await storage.moderation.auditLog({ perPage: 1 })).items[0];

    it('grants, lists and revokes roles (with an audit entry each)', async () => {
      const account = await storage.createAccount('a'.repeat(64), T0);
      expect(await storage.moderation.roleOf(account.id)).toBeNull();
      const { pseudonym } = await storage.moderation.grantRole(account.id, 'moderator', null, T0);
      expect(pseudonym).toMatch(/^mod-[0-9a-f]{6}$/);
      expect(await storage.moderation.roleOf(account.id)).toEqual({ role: 'moderator', pseudonym });
      await storage.moderation.grantRole(account.id, 'admin', 'alice', T0);
      expect(await storage.moderation.roleOf(account.id)).toEqual({ role: 'admin', pseudonym: 'alice' });
      expect(await storage.moderation.listRoles()).toEqual([{ pseudonym: 'alice', role: 'admin', grantedAt: T0, reference: 'a'.repeat(64) }]);
      const other = await storage.createAccount('b'.repeat(64), T0);
      await expect(storage.moderation.grantRole(other.id, 'moderator', 'alice', T0)).rejects.toMatchObject({ status: 409 });
      expect(await storage.moderation.revokeRole(account.id, T0)).toEqual({ pseudonym: 'alice' });
      expect(await storage.moderation.roleOf(account.id)).toBeNull();
      expect(await storage.moderation.revokeRole(account.id, T0)).toBeNull();
      const audit = await storage.moderation.auditLog({});
      expect(audit.items.map((e) => e.action)).toEqual(['revoke_role', 'grant_role', 'grant_role']);
      expect(audit.items.every((e) => e.moderator === 'server-command')).toBe(true);
    });

    it('lists flagged reviews with distinct flaggers, reasons, text and the requester summary; filters and pages', async () => {
      const author = await makeAccount(storage, T0);
      const one = await writeReview(storage, author, { text: 'You are all idiots' });
      const two = await writeReview(storage, author, { requester: KEY_B, requesterName: 'Beta' });
      await writeReview(storage, author); // never flagged
      for (let i = 0; i < 2; i++) {
        const flagger = await makeAccount(storage, T0);
        await storage.flagReview(ctx(flagger, T0 + i), { reviewId: one, reason: i === 0 ? 'insults' : 'threats', note: i === 0 ? 'rude' : '' });
      }
      await storage.flagReview(ctx(await makeAccount(storage, T0), T0), { reviewId: two, reason: 'inconsistent', note: '' });

      const page = await storage.moderation.flagged({});
      expect(page.total).toBe(2);
      expect(page.items.map((i) => i.review.id)).toEqual([one, two]);
      const first = page.items[0]!;
      expect(first.distinctFlaggers).toBe(2);
      expect(first.review.text).toBe('You are all idiots');
      expect(first.requester).toEqual({ key: KEY_A, name: 'Acme Labs' });
      expect(first.summary?.allTime.reviews).toBe(2);
      expect(first.flags).toEqual([
        { reason: 'insults', count: 1, notes: ['rude'] },
        { reason: 'threats', count: 1, notes: [] },
      ]);
      expect((await storage.moderation.flagged({ reason: 'inconsistent' })).items.map((i) => i.review.id)).toEqual([two]);
      expect((await storage.moderation.flagged({ requester: KEY_A })).total).toBe(1);
      const paged = await storage.moderation.flagged({ page: 2, perPage: 1 });
      expect(paged).toMatchObject({ total: 2, page: 2, perPage: 1 });
      expect(paged.items.map((i) => i.review.id)).toEqual([two]);
      expect(await storage.moderation.counts()).toEqual({ flagged: 2, held: 0, suspensions: 0, issues: 0, incidents: 0 });
    });

    it('hides a review: out of the summary and the feed at once, the author sees the reason, flags resolved, audited', async () => {
      const author = await makeAccount(storage, T0);
      const id = await writeReview(storage, author);
      await writeReview(storage, author);
      await storage.flagReview(ctx(await makeAccount(storage, T0), T0), { reviewId: id, reason: 'insults', note: '' });
      const before = await storage.syncHead();
      const outcome = await storage.moderation.hideReview(MOD, id, 'Insults another worker', T0 + 1000);
      expect(outcome.recomputed).toEqual([KEY_A]);
      expect((await storage.syncHead()).seq).toBe(before.seq + 1);
      const delta = await storage.changesSince(before.seq, 100);
      expect(delta.rows.map((r) => JSON.parse(r)[0])).toEqual([KEY_A]);
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(1);
      const own = (await storage.ownReviews(author.id)).find((r) => r.id === id);
      expect(own).toMatchObject({ status: 'hidden', statusReason: 'Insults another worker', requesterName: 'Acme Labs' });
      expect((await storage.bucket('', 50))[0]?.reviews.map((r) => r.id)).not.toContain(id);
      expect((await storage.moderation.flagged({})).total).toBe(0);
      expect((await storage.moderation.byStatus('hidden', {})).items.map((i) => i.review.id)).toEqual([id]);
      expect(await lastAudit()).toMatchObject({ moderator: 'mod-test', action: 'hide_review', target: `review:${id}`, reason: 'Insults another worker' });
      await checksumOk(storage);
      await expect(storage.moderation.hideReview(MOD, 'nope', 'reason', T0)).rejects.toMatchObject({ status: 404, field: 'id' });
    });

    it('restores a hidden review and dismisses flags on a visible one', async () => {
      const author = await makeAccount(storage, T0);
      const id = await writeReview(storage, author);
      await storage.moderation.hideReview(MOD, id, 'mistake', T0);
      await storage.moderation.restoreReview(MOD, id, 'Was fine after all', T0);
      expect((await storage.ownReviews(author.id))[0]).toMatchObject({ status: 'visible', statusReason: null });
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(1);
      expect((await lastAudit())?.action).toBe('restore_review');

      await storage.flagReview(ctx(await makeAccount(storage, T0), T0), { reviewId: id, reason: 'inconsistent', note: '' });
      expect((await storage.moderation.flagged({})).total).toBe(1);
      const outcome = await storage.moderation.dismissReviewFlags(MOD, id, 'Consistent with the task', T0);
      expect(outcome.recomputed).toEqual([]);
      expect((await storage.moderation.flagged({})).total).toBe(0);
      expect(await lastAudit()).toMatchObject({ action: 'dismiss_review_flags', detail: { flags: 1 } });
    });

    it('lists held reviews (flags and brigade) and releases them, one or all of a requester', async () => {
      const author = await makeAccount(storage, T0);
      const flagged = await writeReview(storage, author);
      for (let i = 0; i < 3; i++) await storage.flagReview(ctx(await makeAccount(storage, T0), T0), { reviewId: flagged, reason: 'malicious_or_false', note: '' });
      const young = await Promise.all([0, 1, 2].map(() => makeAccount(storage, T0, 1)));
      for (const account of young) await writeReview(storage, account, { requester: KEY_B, requesterName: 'Beta' });
      expect((await summaryOf(storage, KEY_B))?.held).toBe(3);

      const held = await storage.moderation.byStatus('held', {});
      expect(held.total).toBe(4);
      expect(held.items.find((i) => i.review.id === flagged)).toMatchObject({ heldReason: 'flags', distinctFlaggers: 3 });
      expect((await storage.moderation.byStatus('held', { reason: 'brigade' })).total).toBe(3);
      expect((await storage.moderation.counts()).held).toBe(4);

      await storage.moderation.restoreReview(MOD, flagged, 'Flags were a pile-on', T0);
      expect((await lastAudit())?.action).toBe('release_held');
      const released = await storage.moderation.releaseHeld(MOD, KEY_B, 'Three real workers', T0);
      expect(released).toMatchObject({ recomputed: [KEY_B], detail: { released: 3 } });
      expect((await summaryOf(storage, KEY_B))).toMatchObject({ held: 0, allTime: { reviews: 3 } });
      expect((await storage.moderation.counts()).held).toBe(0);
    });

    it('groups suspension reports by requester, lists them, and confirms or dismisses the link', async () => {
      const accounts = await Promise.all([0, 1, 2, 3].map(() => makeAccount(storage, T0)));
      for (const [i, account] of accounts.entries()) {
        await storage.reportSuspension(ctx(account, T0 + i), {
          requester: i < 3 ? KEY_A : KEY_B,
          requesterName: i < 3 ? 'Acme Labs' : 'Beta',
          tasks: [{ taskId: 'TASKX', taskTitle: 'Survey X' }, ...(i === 0 ? [{ taskId: 'TASKY', taskTitle: 'Y' }] : [])],
          suspendedOn: '2026-05-30',
          reinstated: false,
          note: i === 0 ? 'private note' : '',
        });
      }
      const groups = await storage.moderation.suspensions({});
      expect(groups.total).toBe(2);
      expect(groups.items[0]).toMatchObject({ requester: { key: KEY_A, name: 'Acme Labs' }, reports: 3, open: 3, confirmed: false });
      expect(groups.items[0]?.topTasks[0]).toEqual({ taskId: 'TASKX', taskTitle: 'Survey X', reports: 3 });
      expect(groups.items[0]?.summary?.suspensions.accounts).toBe(3);
      const reports = await storage.moderation.suspensionReports(KEY_A);
      expect(reports).toHaveLength(3);
      expect(reports.map((r) => r.note)).toContain('private note');
      expect(reports.every((r) => r.established && r.status === 'open')).toBe(true);

      await storage.moderation.decideSuspension(MOD, KEY_B, 'confirm', 'Many workers in the forum', T0);
      expect((await summaryOf(storage, KEY_B))?.suspensions.confirmed).toBe(true);
      expect((await storage.moderation.suspensions({})).items.map((g) => g.requester.key)).toEqual([KEY_A]);
      expect((await storage.moderation.suspensions({ status: 'confirmed' })).items.map((g) => g.requester.key)).toEqual([KEY_B]);
      await storage.moderation.decideSuspension(MOD, KEY_A, 'dismiss', 'Suspensions were a platform outage', T0);
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(0);
      expect((await storage.moderation.counts()).suspensions).toBe(0);
      // (Filtered: the reports also opened an incident, audited by the server at their later time.)
      expect((await storage.moderation.auditLog({ action: 'dismiss_suspension' })).items[0]).toMatchObject({ target: `requester:${KEY_A}`, detail: { reports: 3 } });
      await expect(storage.moderation.decideSuspension(MOD, 'mturk:A9NOBODY00000', 'confirm', 'xxx', T0)).rejects.toMatchObject({ status: 404 });
    });

    it('correlates per task group across reports, by distinct established accounts within D days', async () => {
      const report = async (account: AccountRecord, at: number, tasks: [string, string][]) =>
        storage.reportSuspension(ctx(account, at), {
          suspendedOn: '2026-05-30',
          tasks: tasks.map(([requester, taskId]) => ({ requester, requesterName: requester === KEY_A ? 'Acme Labs' : 'Beta', taskId, taskTitle: `Task ${taskId}` })),
        });
      const [one, two, old] = await Promise.all([0, 1, 2].map(() => makeAccount(storage, T0, 30)));
      const young = await makeAccount(storage, T0, 1);
      // Filed together: a task of A and one of B, each under its own requester.
      await report(one!, T0 - 2 * DAY, [[KEY_A, 'SHARED'], [KEY_B, 'OTHER']]);
      await report(two!, T0 - DAY, [[KEY_A, 'SHARED']]);
      await report(young, T0, [[KEY_A, 'SHARED']]);
      await report(old!, T0 - 20 * DAY, [[KEY_A, 'SHARED']]);

      const recent = await storage.moderation.correlation(14, 1, T0);
      expect(recent.days).toBe(14);
      expect(recent.rows.map((r) => [r.requester.key, r.taskId, r.accounts, r.reports])).toEqual([
        [KEY_A, 'SHARED', 2, 3],
        [KEY_B, 'OTHER', 1, 1],
      ]);
      expect(recent.rows[0]).toMatchObject({
        requester: { key: KEY_A, name: 'Acme Labs' },
        taskTitle: 'Task SHARED',
        firstReportAt: new Date(T0 - 2 * DAY).toISOString(),
        lastReportAt: new Date(T0).toISOString(),
      });
      // Two established accounts opened an incident on the shared task.
      expect(recent.rows[0]!.incidentId).toEqual(expect.any(String));
      expect(recent.rows[1]!.incidentId).toBeNull();
      expect((await storage.moderation.correlation(14, 2, T0)).rows.map((r) => r.taskId)).toEqual(['SHARED']);
      const wide = await storage.moderation.correlation(30, 1, T0);
      expect(wide.rows[0]).toMatchObject({ taskId: 'SHARED', accounts: 3, reports: 4 });
    });

    it('lists incidents and confirms or dismisses one: the task group reaches browsers as confirmed, then leaves; audited', async () => {
      const accounts = await Promise.all([0, 1, 2].map(() => makeAccount(storage, T0, 30)));
      for (const [i, account] of accounts.entries()) {
        await storage.reportSuspension(ctx(account, T0 + i), {
          suspendedOn: '2026-05-30',
          tasks: [{ requester: KEY_A, requesterName: 'Acme Labs', taskId: 'SHARED', taskTitle: 'Shared task' }],
          note: 'private note',
        });
      }
      const page = await storage.moderation.incidents({});
      const incident = page.items.find((i) => i.taskId === 'SHARED')!;
      expect(incident).toMatchObject({ requester: { key: KEY_A, name: 'Acme Labs' }, status: 'open', accounts: 3, replicated: 'investigating', windowDays: 14 });
      expect((await storage.moderation.counts()).incidents).toBe(page.items.filter((i) => i.status === 'open').length);
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([expect.objectContaining({ taskId: 'SHARED', state: 'investigating', accounts: 3 })]);
      const before = (await storage.syncHead()).seq;

      const confirmed = await storage.moderation.decideIncident(MOD, incident.id, 'confirm', 'Same task, same week', T0 + 10);
      expect(confirmed.recomputed).toEqual([KEY_A]);
      expect((await storage.syncHead()).seq).toBeGreaterThan(before);
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([expect.objectContaining({ taskId: 'SHARED', state: 'confirmed' })]);
      // Only the task group is confirmed: the requester-level link stays its own action.
      expect((await summaryOf(storage, KEY_A))?.suspensions.confirmed).toBe(false);
      expect(await lastAudit()).toMatchObject({ action: 'confirm_incident', moderator: 'mod-test', target: `incident:${incident.id}`, reason: 'Same task, same week' });
      expect((await storage.moderation.incidents({ status: 'confirmed' })).items.map((i) => i.id)).toEqual([incident.id]);
      await checksumOk(storage);

      await storage.moderation.decideIncident(MOD, incident.id, 'dismiss', 'A platform-wide sweep', T0 + 20);
      expect((await summaryOf(storage, KEY_A))?.suspectTasks).toEqual([]);
      expect(await lastAudit()).toMatchObject({ action: 'dismiss_incident', target: `incident:${incident.id}` });
      await checksumOk(storage);
      await expect(storage.moderation.decideIncident(MOD, incident.id, 'dismiss', 'again', T0 + 30)).rejects.toMatchObject({ status: 409 });
      await expect(storage.moderation.decideIncident(MOD, 'no-such-incident', 'confirm', 'xxx', T0)).rejects.toMatchObject({ status: 404, field: 'id' });
    });

    it('groups requester issue flags, confirms phishing and dismisses flags', async () => {
      for (let i = 0; i < 2; i++) {
        await storage.flagRequester(ctx(await makeAccount(storage, T0), T0 + i), {
          requester: KEY_P,
          requesterName: 'Prolific lab',
          reason: i === 0 ? 'phishing' : 'personal_data',
          note: 'asks for a bank login',
        });
      }
      await storage.flagRequester(ctx(await makeAccount(storage, T0), T0), { requester: KEY_B, requesterName: 'Beta', reason: 'broken', note: '' });
      const groups = await storage.moderation.issues({});
      expect(groups.total).toBe(2);
      expect(groups.items[0]).toMatchObject({ requester: { key: KEY_P }, open: 2, counts: { phishing: 1, personal_data: 1 }, confirmed: false });
      expect(groups.items[0]?.flags[0]?.note).toBe('asks for a bank login');
      expect((await storage.moderation.issues({ reason: 'broken' })).items.map((g) => g.requester.key)).toEqual([KEY_B]);

      await storage.moderation.decideIssues(MOD, KEY_P, 'confirm', 'Confirmed phishing page', T0);
      expect((await summaryOf(storage, KEY_P))?.phishingConfirmed).toBe(true);
      await storage.moderation.decideIssues(MOD, KEY_B, 'dismiss', 'Task works now', T0);
      expect((await summaryOf(storage, KEY_B))?.issues.broken).toBe(0);
      expect((await storage.moderation.counts()).issues).toBe(0);
    });

    it('mutes an account named by what it wrote: its reports stop counting, and count again when the mute ends', async () => {
      const reporters = await Promise.all([0, 1, 2].map(() => makeAccount(storage, T0)));
      const ids: string[] = [];
      for (const account of reporters) {
        const res = await storage.reportSuspension(ctx(account, T0), { requester: KEY_A, requesterName: 'Acme Labs', tasks: [], suspendedOn: '2026-05-30', reinstated: false, note: '' });
        ids.push((res.body as { id: string }).id);
      }
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(3);
      const outcome = await storage.moderation.muteAccount(MOD, { kind: 'suspension_report', id: ids[0]! }, 2, 'Spamming reports', T0);
      expect(outcome.recomputed).toEqual([KEY_A]);
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(2);
      const audit = await lastAudit();
      expect(audit).toMatchObject({ action: 'mute_account', target: `suspension_report:${ids[0]}`, detail: { days: 2 } });
      expect(String(audit?.detail.account)).toMatch(/^acct-/);
      expect(JSON.stringify(audit)).not.toContain(reporters[0]!.id);
      // Two days later the hourly job sees the mute end and the report counts again.
      expect(await storage.ageWindows(T0 + 2 * DAY + 1000)).toBeGreaterThanOrEqual(1);
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(3);
      await expect(storage.moderation.muteAccount(MOD, { kind: 'review', id: 'missing' }, 1, 'xxx', T0)).rejects.toMatchObject({ status: 404, field: 'target.id' });
    });

    it('bans an account: every review hidden with the reason, its flags count nowhere', async () => {
      const troll = await makeAccount(storage, T0);
      const id = await writeReview(storage, troll);
      await writeReview(storage, troll, { requester: KEY_B, requesterName: 'Beta' });
      await storage.flagRequester(ctx(troll, T0), { requester: KEY_P, requesterName: 'P', reason: 'phishing', note: '' });
      const outcome = await storage.moderation.banAccount({ ...MOD, role: 'admin' }, { kind: 'review', id }, 'Sock puppet farm', T0);
      expect(outcome.recomputed.sort()).toEqual([KEY_A, KEY_B, KEY_P].sort());
      expect((await storage.ownReviews(troll.id)).map((r) => [r.status, r.statusReason])).toEqual([
        ['hidden', 'account banned: Sock puppet farm'],
        ['hidden', 'account banned: Sock puppet farm'],
      ]);
      expect((await summaryOf(storage, KEY_P))?.issues.phishing).toBe(0);
      expect(await lastAudit()).toMatchObject({ action: 'ban_account', detail: { hiddenReviews: 2 } });
    });

    it('merges two requester keys: rows move, duplicates stay behind, the old key leaves the feed as removed', async () => {
      const author = await makeAccount(storage, T0);
      const other = await makeAccount(storage, T0);
      await writeReview(storage, author, { requester: KEY_B, requesterName: 'Beta Research', taskId: 'SAME' });
      await writeReview(storage, author, { requester: KEY_A, requesterName: 'Acme', taskId: 'SAME' }); // duplicate of the above after the merge
      await writeReview(storage, other, { requester: KEY_B, requesterName: 'Beta Research' });
      await storage.reportSuspension(ctx(other, T0), { requester: KEY_B, requesterName: 'Beta Research', tasks: [{ taskId: 'BETATASK', taskTitle: 'Beta task' }], suspendedOn: '2026-05-30', reinstated: false, note: '' });
      await storage.moderation.decideSuspension(MOD, KEY_B, 'confirm', 'confirmed before the merge', T0);
      const before = await storage.syncHead();

      const outcome = await storage.moderation.mergeRequesters(MOD, KEY_B, KEY_A, 'Same lab, two accounts', T0);
      expect(outcome).toMatchObject({ recomputed: [KEY_A], detail: { into: KEY_A, reviews: 1, reports: 1, duplicates: 1 } });
      const delta = await storage.changesSince(before.seq, 100);
      expect(delta.removed).toEqual([KEY_B]);
      expect(delta.rows.map((r) => JSON.parse(r)[0])).toEqual([KEY_A]);
      const { rows } = await storage.snapshot();
      expect(rows.map((r) => JSON.parse(r)[0])).toEqual([KEY_A]);
      await checksumOk(storage);
      const summary = await summaryOf(storage, KEY_A);
      expect(summary?.allTime.reviews).toBe(2);
      expect(summary?.suspensions.confirmed).toBe(true);
      // The report's picked task moved with it: the correlation counts it under the surviving key.
      expect((await storage.moderation.correlation(365, 1, T0)).rows.map((r) => [r.requester.key, r.taskId])).toEqual([[KEY_A, 'BETATASK']]);
      // Moved reviews get the new requester's pseudonym and key; the author can still edit them.
      const mine = await storage.ownReviews(other.id);
      expect(mine[0]?.requester).toBe(KEY_A);
      // A late write to the old key lands on the surviving one.
      await writeReview(storage, await makeAccount(storage, T0), { requester: KEY_B, requesterName: 'Beta Research' });
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(3);
      expect(await lastAudit()).toMatchObject({ action: 'merge_requesters', target: `requester:${KEY_B}` });
      await expect(storage.moderation.mergeRequesters(MOD, KEY_B, KEY_A, 'again', T0)).rejects.toMatchObject({ status: 409, field: 'from' });
      await expect(storage.moderation.mergeRequesters(MOD, KEY_P, KEY_A, 'unknown', T0)).rejects.toMatchObject({ status: 404, field: 'from' });
      await checksumOk(storage);
    });

    it('publishes a new rules version, keeps the old one, and recomputes every summary in batches', async () => {
      const author = await makeAccount(storage, T0, 3); // 3 days old: not established under v1 (7 days)
      for (const [key, name] of [[KEY_A, 'A'], [KEY_B, 'B'], [KEY_P, 'P']] as const) {
        await storage.reportSuspension(ctx(author, T0), { requester: key, requesterName: name, tasks: [], suspendedOn: '2026-05-30', reinstated: false, note: '' });
      }
      expect((await summaryOf(storage, KEY_A))?.suspensions.accounts).toBe(0);
      const { version: _v, ...rest } = DEFAULT_RULES;
      const next = { ...rest, danger: { ...rest.danger, establishedAfterDays: 1 } };
      expect(await storage.moderation.publishRules(MOD, next, 'Accounts count after one day', T0)).toEqual({ version: 2 });
      expect(storage.rules().version).toBe(2);
      expect((await storage.syncHead()).rulesVersion).toBe(2);
      expect(await storage.rulesVersion(1)).toEqual(DEFAULT_RULES);
      expect(await storage.rulesVersion(2)).toEqual({ ...next, version: 2 });
      expect((await storage.moderation.rulesVersions()).map((v) => v.version)).toEqual([2, 1]);

      expect(await storage.moderation.recomputeForRules(T0, 2)).toEqual({ recomputed: 2, more: true });
      expect(await storage.moderation.recomputeForRules(T0, 2)).toEqual({ recomputed: 1, more: false });
      expect(await storage.moderation.recomputeForRules(T0, 2)).toEqual({ recomputed: 0, more: false });
      for (const key of [KEY_A, KEY_B, KEY_P]) expect((await summaryOf(storage, key))?.suspensions.accounts).toBe(1);
      expect(await lastAudit()).toMatchObject({ action: 'publish_rules', target: 'rules:2' });
      await checksumOk(storage);
    });

    it('filters and pages the audit log', async () => {
      const author = await makeAccount(storage, T0);
      const id = await writeReview(storage, author);
      await storage.moderation.hideReview(MOD, id, 'first', T0 + 1);
      await storage.moderation.restoreReview({ ...MOD, pseudonym: 'mod-two' }, id, 'second', T0 + 2);
      await storage.moderation.hideReview(MOD, id, 'third', T0 + 3);
      const all = await storage.moderation.auditLog({});
      expect(all.items.map((e) => e.reason)).toEqual(['third', 'second', 'first']);
      expect(all.items[0]?.at).toBe(new Date(T0 + 3).toISOString());
      expect((await storage.moderation.auditLog({ action: 'hide_review' })).total).toBe(2);
      expect((await storage.moderation.auditLog({ moderator: 'mod-two' })).items.map((e) => e.reason)).toEqual(['second']);
      expect((await storage.moderation.auditLog({ target: `review:${id}`, perPage: 1, page: 3 })).items.map((e) => e.reason)).toEqual(['first']);
    });
  });
}

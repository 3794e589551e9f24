/**
 * Three API processes (`src/server/cli.ts`, as an operator runs it) on one PostgreSQL
 * behave as one (issue 14). Clients write reviews and sync through random processes at
 * once, as the extension does (snapshot, then deltas applied row by row with the sync
 * protocol's checksum); a moderator publishes rules in the middle; the leader is killed
 * (SIGKILL) and replaced. Afterwards:
 *   - every client's replica checksum equals the server's, through every process;
 *   - no client saw an older rules version after a newer one;
 *   - each periodic job ran once per period (job_runs and every process's log), on the leader;
 *     each rules version was recomputed once; incident detection opened one incident;
 *   - every process serves byte-identical snapshots (gzip and identity) under one ETag,
 *     and answers another process's ETag with 304;
 *   - new rules reach every process by NOTIFY, and by the fallback when the listen
 *     connections are cut.
 * Figures (invalidation latency, failover time, job runs, clients and requests) are printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../core/rules.js';
import { checksumOf, DeltaBody, rowDigest, SnapshotBody, updateChecksum, type Checksum, type EncodedSummary } from '../core/sync-protocol.js';
import { sha256Hex } from './http/guards.js';
import { runModeratorCommand } from './moderation/roles-cli.js';
import { review } from './testing/builders.js';
import { createTestDatabase, testBackends, type TestDatabase } from './testing/databases.js';

const PG_URL = process.env.LANTERN_PG_URL;
const skip = testBackends().find((b) => b.backend === 'postgres')!.skip;
const AGE_WINDOWS_MS = 1_000;
const PRUNE_MS = 1_500;
const CLIENTS = 12;
const TRAFFIC_MS = 12_000;
const REQUESTERS = Array.from({ length: 8 }, (_, i) => `mturk:A${i}CLUSTER${String(i).padStart(6, '0')}`);
const { version: _v, ...RULES_INPUT } = DEFAULT_RULES;

interface Proc {
  child: ChildProcess;
  url: string;
  runner: string;
  lines: Record<string, unknown>[];
  exited: Promise<void>;
}

function startProcess(database: string): Promise<Proc> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--no-rate-limits', '--log-level', 'info',
      '--job-periods', `age-windows=${AGE_WINDOWS_MS},prune-retry-keys=${PRUNE_MS}`, '--leader-retry-ms', '300'],
    { env: { ...process.env, LANTERN_DATABASE: database, LANTERN_HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    let partial = '';
    let runner = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const text of parts) {
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          continue;
        }
        line.at = Date.now();
        lines.push(line);
        if (line.msg === 'job runner id') runner = String(line.runner);
        const hit = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(line.msg));
        if (hit) resolve({ child, url: hit[1]!, runner, lines, exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${stderr.slice(-2000)}`)));
  });
}

let requests = 0;
async function call(url: string, path: string, init: RequestInit & { secret?: string } = {}): Promise<Response> {
  requests += 1;
  const headers = new Headers(init.headers);
  if (init.secret) headers.set('authorization', `Bearer ${init.secret}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${url}${path}`, { ...init, headers });
}

/** The bytes as sent (fetch would decompress them). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  requests += 1;
  return new Promise((resolve, reject) => {
    http
      .get(`${url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const waitUntil = async (what: string, check: () => boolean | Promise<boolean>, capMs = 20_000) => {
  const end = Date.now() + capMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const BECAME = 'became the leader (runs the periodic jobs)';
const STEPPED_DOWN = 'no longer the leader';
const byKey = (rows: EncodedSummary[]) => [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A client as the extension syncs: a snapshot, then deltas applied row by row, checked by checksum. */
class SyncClient {
  replica = new Map<string, EncodedSummary>();
  checksum: Checksum = { rows: 0, sum: 0 };
  version: string | null = null;
  rulesSeen: number[] = [];
  mismatches = 0;

  async sync(url: string): Promise<void> {
    if (this.version === null) return this.snapshot(url);
    for (;;) {
      const res = await call(url, `/v1/sync/changes?since=${this.version}&limit=50`);
      expect(res.status).toBe(200);
      const page = DeltaBody.parse(await res.json());
      this.rulesSeen.push(page.rulesVersion);
      for (const row of page.rows) {
        const before = this.replica.get(row[0]);
        this.checksum = updateChecksum(this.checksum, before ? rowDigest(before) : null, rowDigest(row));
        this.replica.set(row[0], row);
      }
      for (const key of page.removed) {
        const before = this.replica.get(key);
        if (before) this.checksum = updateChecksum(this.checksum, rowDigest(before), null);
        this.replica.delete(key);
      }
      this.version = page.version;
      if (page.more) continue;
      if (page.checksum!.rows !== this.checksum.rows || page.checksum!.sum !== this.checksum.sum) {
        this.mismatches += 1;
        return this.snapshot(url);
      }
      return;
    }
  }

  private async snapshot(url: string): Promise<void> {
    const res = await call(url, '/v1/sync/snapshot', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    const body = SnapshotBody.parse(await res.json());
    this.rulesSeen.push(body.rulesVersion);
    this.replica = new Map(body.rows.map((row) => [row[0], row]));
    this.checksum = checksumOf(body.rows);
    expect(this.checksum).toEqual(body.checksum);
    this.version = body.version;
  }
}

describe.skipIf(skip)('three API processes on one PostgreSQL', () => {
  let db: TestDatabase;
  const procs: Proc[] = [];
  const retired: Proc[] = [];
  afterAll(async () => {
    for (const p of [...procs, ...retired]) p.child.kill('SIGKILL');
    await Promise.all([...procs, ...retired].map((p) => p.exited));
    await db?.drop();
  });

  it('serve as one: replicas match, rules only move forward, jobs run once, snapshots are byte-identical', { timeout: 120_000 }, async () => {
    db = await createTestDatabase('postgres');
    const database = `${db.database}${db.database.includes('?') ? '&' : '?'}schema=${db.options.schema}`;
    const sql = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${db.options.schema}` });
    await sql.connect();
    try {
      // The first process migrates; the next two start together against the migrated schema.
      procs.push(await startProcess(database));
      procs.push(...(await Promise.all([startProcess(database), startProcess(database)])));
      const anyUrl = () => procs[Math.floor(Math.random() * procs.length)]!.url;
      /** The processes whose latest word on leadership is that they lead. */
      const leaderOf = (list: Proc[]) => list.filter((p) => p.lines.filter((l) => l.msg === BECAME || l.msg === STEPPED_DOWN).at(-1)?.msg === BECAME);
      await waitUntil('a leader', () => leaderOf(procs).length > 0);

      // Accounts: an admin (to publish rules), the clients, three reporters made established.
      const account = async () => ((await (await call(anyUrl(), '/v1/accounts', { method: 'POST' })).json()) as { accountSecret: string }).accountSecret;
      const admin = await account();
      const io = { out: () => undefined, err: () => undefined };
      expect(await runModeratorCommand(['grant', '--role', 'admin', '--account', sha256Hex(admin), '--name', 'cluster-admin', '--database', database], io)).toBe(0);
      const secrets = await Promise.all(Array.from({ length: CLIENTS }, account));
      const reporters = await Promise.all(Array.from({ length: 3 }, account));
      await sql.query(`UPDATE accounts SET created_at = created_at - $1 WHERE secret_hash = ANY($2)`, [30 * 86_400_000, reporters.map(sha256Hex)]);

      const publish = async (url: string, weight: number) => {
        const res = await call(url, '/v1/moderation/rules', {
          method: 'POST',
          secret: admin,
          body: JSON.stringify({ rules: { ...RULES_INPUT, shrinkage: { ...RULES_INPUT.shrinkage, weight } }, reason: 'cluster test' }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
        return ((await res.json()) as { version: number }).version;
      };
      /** Polls every process's rules (served from its memory) until it shows `version`; ms from `from`. */
      const seenBy = (list: Proc[], version: number, from: () => number) =>
        Promise.all(
          list.map(async (p) => {
            await waitUntil(`rules ${version} at ${p.url}`, async () => ((await (await call(p.url, '/v1/rules')).json()) as { version: number }).version === version);
            return Date.now() - from();
          }),
        );

      // ---------------------------------------------------------------- traffic
      const clients = secrets.map(() => new SyncClient());
      let stop = false;
      let writes = 0;
      let killedAt = 0;
      let publishedMid = 0;
      const clientLoop = async (index: number) => {
        let n = 0;
        while (!stop) {
          if (Math.random() < 0.5) {
            const requester = REQUESTERS[Math.floor(Math.random() * REQUESTERS.length)]!;
            const body = JSON.stringify(review({ requester, requesterName: `Cluster ${requester.slice(7, 9)}`, taskId: `C${index}x${n++}` }));
            const key = randomUUID();
            // As the outbox does: the same key again after a failure (the leader's death), through another process.
            for (;;) {
              const res = await call(anyUrl(), '/v1/reviews', { method: 'POST', secret: secrets[index]!, headers: { 'idempotency-key': key }, body }).catch(() => null);
              if (res?.status === 201) break;
              if (res) throw new Error(`review refused: ${res.status} ${await res.text()}`);
              await new Promise((r) => setTimeout(r, 20));
            }
            writes += 1;
          } else {
            await clients[index]!.sync(anyUrl()).catch((error: unknown) => {
              if (!(error instanceof TypeError)) throw error; // a connection to the killed process
            });
          }
        }
      };
      const started = Date.now();
      const loops = secrets.map((_, i) => clientLoop(i));
      // Incident detection under concurrency: three established accounts report one task, each through another process.
      const reported = Promise.all(
        reporters.map(async (secret, i) => {
          const body = JSON.stringify({ requester: REQUESTERS[0], requesterName: 'Cluster 0', suspendedOn: new Date().toISOString().slice(0, 10), tasks: [{ taskId: 'SHARED-TASK', taskTitle: 'Shared task' }] });
          const res = await call(procs[i]!.url, '/v1/suspension-reports', { method: 'POST', secret, headers: { 'idempotency-key': randomUUID() }, body });
          expect(res.status, await res.clone().text()).toBe(201);
        }),
      );
      await new Promise((r) => setTimeout(r, TRAFFIC_MS / 3));
      // A rules publication in the middle of the traffic, through a random process (rules 1 were the seed).
      let midSentAt = 0;
      const viaTraffic = seenBy([...procs], 2, () => midSentAt);
      midSentAt = Date.now();
      publishedMid = await publish(anyUrl(), 6);
      expect(publishedMid).toBe(2);
      const trafficLatency = await viaTraffic;
      await new Promise((r) => setTimeout(r, TRAFFIC_MS / 3));
      // The leader dies; a supervisor starts a replacement.
      const [oldLeader] = leaderOf(procs);
      killedAt = Date.now();
      oldLeader!.child.kill('SIGKILL');
      await oldLeader!.exited;
      procs.splice(procs.indexOf(oldLeader!), 1);
      retired.push(oldLeader!);
      await waitUntil('a new leader', () => leaderOf(procs).length > 0);
      const failoverMs = Math.min(...procs.flatMap((p) => p.lines.filter((l) => l.msg === BECAME && Number(l.time) >= killedAt).map((l) => Number(l.time)))) - killedAt;
      procs.push(await startProcess(database));
      await new Promise((r) => setTimeout(r, Math.max(0, started + TRAFFIC_MS - Date.now())));
      stop = true;
      await Promise.all(loops);
      await reported;

      // ---------------------------------------------------------------- quiet: invalidation latency
      // Pure NOTIFY (nothing else touches the rules now): ms from the publish request to each process serving the new rules.
      let sentAt = 0;
      const viaNotify = seenBy(procs, publishedMid + 1, () => sentAt);
      sentAt = Date.now();
      const quietVersion = await publish(procs[0]!.url, 7);
      expect(quietVersion).toBe(publishedMid + 1);
      const notifyLatency = await viaNotify;
      // The listen connections cut: new rules still arrive (poll, then resync on reconnecting).
      const cut = await sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`lantern-listen:${db.options.schema}`]);
      expect(cut.rowCount).toBe(procs.length);
      const viaFallback = seenBy(procs, quietVersion + 1, () => sentAt);
      sentAt = Date.now();
      expect(await publish(procs[1]!.url, 8)).toBe(quietVersion + 1);
      const fallbackLatency = await viaFallback;
      const lastVersion = quietVersion + 1;
      // The leader's recompute of the last version is done (its notification makes every process rebuild its snapshot).
      await waitUntil('the last recompute', async () => (await sql.query(`SELECT 1 FROM job_runs WHERE job = 'rules-recompute' AND slot = $1 AND finished_at IS NOT NULL`, [lastVersion])).rowCount === 1);
      await waitUntil('the recompute cursor gone', async () => (await sql.query(`SELECT 1 FROM server_meta WHERE name = 'rules_recompute_after'`)).rowCount === 0);
      // Every listen connection is back (each reconnection resyncs its process).
      await waitUntil('listening again', async () => (await sql.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [`lantern-listen:${db.options.schema}`])).rowCount === procs.length);
      await new Promise((r) => setTimeout(r, 300));

      // ---------------------------------------------------------------- replicas
      for (const client of clients) for (const p of procs) await client.sync(p.url);
      const finalSnapshots = await Promise.all(
        procs.map(async (p) => {
          const gz = await rawGet(p.url, '/v1/sync/snapshot', { 'accept-encoding': 'gzip' });
          const plain = await rawGet(p.url, '/v1/sync/snapshot', { 'accept-encoding': 'identity' });
          return { gzEtag: String(gz.headers.etag), gz: gz.body, etag: String(plain.headers.etag), plain: plain.body, encoding: gz.headers['content-encoding'] };
        }),
      );
      const truth = SnapshotBody.parse(JSON.parse(finalSnapshots[0]!.plain.toString('utf8')));
      expect(truth.rulesVersion).toBe(lastVersion);
      for (const client of clients) {
        expect(client.checksum).toEqual(truth.checksum);
        expect(client.version).toBe(truth.version);
        expect(byKey([...client.replica.values()])).toEqual(byKey(truth.rows));
        // Rules versions only ever went forward, whichever process answered.
        expect(client.rulesSeen).toEqual([...client.rulesSeen].sort((a, b) => a - b));
        expect(client.rulesSeen.at(-1)).toBe(lastVersion);
      }
      expect(clients.reduce((n, c) => n + c.mismatches, 0)).toBe(0);
      expect(truth.rows.map((r) => r[0])).toEqual(expect.arrayContaining(REQUESTERS));

      // ---------------------------------------------------------------- byte-identical snapshots
      for (const s of finalSnapshots) {
        expect(s.encoding).toBe('gzip');
        expect(s.gzEtag).toBe(finalSnapshots[0]!.gzEtag);
        expect(s.etag).toBe(finalSnapshots[0]!.etag);
        expect(s.gz.equals(finalSnapshots[0]!.gz)).toBe(true);
        expect(s.plain.equals(finalSnapshots[0]!.plain)).toBe(true);
        expect(gunzipSync(s.gz).equals(s.plain)).toBe(true);
      }
      expect(finalSnapshots[0]!.etag).not.toBe(finalSnapshots[0]!.gzEtag);
      // One process's ETag is every process's: a CDN revalidates anywhere.
      for (const p of procs) {
        const res = await call(p.url, '/v1/sync/snapshot', { headers: { 'accept-encoding': 'gzip', 'if-none-match': finalSnapshots[0]!.gzEtag } });
        expect(res.status).toBe(304);
      }

      // ---------------------------------------------------------------- jobs ran once, on the leader
      // Stopped as an operator would (SIGTERM waits for a run in progress), so every log line is in.
      await Promise.all(procs.map((p) => (p.child.kill('SIGTERM'), p.exited)));
      // Leadership terms from each process's own log times (one clock: one machine); the killed one's ends at the kill.
      const terms: { proc: Proc; from: number; to: number }[] = [];
      for (const p of [...procs, ...retired]) {
        let from: number | null = null;
        for (const l of p.lines) {
          if (l.msg === BECAME) from = Number(l.time);
          if (l.msg === STEPPED_DOWN && from !== null) terms.push({ proc: p, from, to: Number(l.time) }), (from = null);
        }
        if (from !== null) terms.push({ proc: p, from, to: p === oldLeader ? killedAt : Infinity });
      }
      terms.sort((a, b) => a.from - b.from);
      // Never two leaders at once.
      for (let i = 1; i < terms.length; i++) expect(terms[i]!.from).toBeGreaterThanOrEqual(terms[i - 1]!.to);
      const allLines: (Record<string, unknown> & { proc: Proc })[] = [...procs, ...retired].flatMap((p) => p.lines.map((l) => ({ ...l, proc: p })));
      const ran = allLines.filter((l) => l.msg === 'job ran');
      const runs = new Map<string, number>();
      for (const l of ran) runs.set(`${l.job}#${l.slot}`, (runs.get(`${l.job}#${l.slot}`) ?? 0) + 1);
      expect([...runs.entries()].filter(([, n]) => n > 1)).toEqual([]);
      const rows = (await sql.query<{ job: string; slot: string; runner: string; finished_at: string | null }>('SELECT job, slot, runner, finished_at FROM job_runs ORDER BY job, slot')).rows;
      for (const row of rows) {
        const logged = runs.get(`${row.job}#${row.slot}`) ?? 0;
        // Only a run the SIGKILL interrupted may have a claim without its log line.
        if (logged === 0) expect({ row, killed: row.runner === oldLeader!.runner }).toEqual({ row, killed: true });
        else expect(logged).toBe(1);
      }
      expect(ran.length).toBeLessThanOrEqual(rows.length);
      // Every run was by a process that was the leader when it ran.
      for (const l of ran) {
        const during = terms.find((t) => t.proc === l.proc && t.from <= Number(l.time) && Number(l.time) <= t.to);
        expect(during, `run ${String(l.job)}#${String(l.slot)} outside its process's leadership`).toBeDefined();
        expect(l.runner).toBe(l.proc.runner);
      }
      const perJob = (job: string) => rows.filter((r) => r.job === job);
      expect(perJob('age-windows').length).toBeGreaterThanOrEqual(4);
      expect(perJob('prune-retry-keys').length).toBeGreaterThanOrEqual(3);
      // Versions published within the settle time of each other (3 and 4 here) share one recompute, of the newest.
      expect(perJob('rules-recompute').map((r) => Number(r.slot))).toEqual(expect.arrayContaining([publishedMid, lastVersion]));
      const leaders = [...new Set(terms.map((t) => t.proc))];
      expect(leaders.length).toBeGreaterThanOrEqual(2); // the first, then at least one successor

      // ---------------------------------------------------------------- incident detection once
      // Three reports at once: the task-wide incident and the requester-wide one (report rate), each opened once.
      const incidents = (await sql.query<{ id: string; task_key: string }>(`SELECT id, task_key FROM incidents WHERE requester_key = $1 ORDER BY task_key`, [REQUESTERS[0]])).rows;
      expect(incidents.map((i) => i.task_key)).toEqual(['', 'SHARED-TASK']);
      for (const incident of incidents) {
        const opened = await sql.query(`SELECT 1 FROM audit_log WHERE action = 'open_incident' AND target = $1`, [`incident:${incident.id}`]);
        expect(opened.rowCount).toBe(1);
      }
      const deliveries = await sql.query<{ event: string }>(`SELECT event FROM webhook_deliveries`);
      expect(deliveries.rows.filter((d) => d.event === 'incident.opened')).toHaveLength(incidents.length);

      console.log(
        JSON.stringify({
          clusterFigures: {
            processes: 3,
            clients: CLIENTS,
            requests,
            reviewWrites: writes,
            requesters: truth.rows.length,
            invalidationMsUnderTraffic: { max: Math.max(...trafficLatency), median: median(trafficLatency), each: trafficLatency },
            invalidationMsViaNotify: { max: Math.max(...notifyLatency), median: median(notifyLatency), each: notifyLatency },
            invalidationMsListenCut: { max: Math.max(...fallbackLatency), median: median(fallbackLatency), each: fallbackLatency },
            failoverMs,
            leadershipTerms: terms.length,
            jobRuns: Object.fromEntries(['age-windows', 'prune-retry-keys', 'rules-recompute'].map((j) => [j, perJob(j).length])),
            jobRunsByRunner: Object.fromEntries(leaders.map((p) => [p.runner, rows.filter((r) => r.runner === p.runner).length])),
          },
        }),
      );
    } finally {
      await sql.end();
    }
  });
});

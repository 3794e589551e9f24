/**
 * `npm run bench:server [-- --quick] [--backend sqlite|postgres|both] [--duration 10] [--before <checkout>] [--profile-dir <dir>]`
 *
 * The server at the design's scale: 100k requesters, 5M reviews, 500k accounts
 * (--quick: 5k / 50k / 5k), built in bulk and cached between runs (bench-server-data.ts).
 * Starts the server as its own process on loopback against a per-run copy of the data,
 * drives it with autocannon (snapshot and delta cross-checked with wrk, since a JavaScript
 * load generator may be the bottleneck) and an open-loop fixed rate of 200 req/s, then
 * prints a table per backend, whether each target was met, and the capacity arithmetic;
 * writes bench-results/server.json. PostgreSQL runs when LANTERN_PG_URL is set.
 *
 * `--before <checkout>`: an earlier commit's server (a checkout, node_modules linked) is
 * measured the same way in the same run, on its own copy of the same dataset, told it is
 * at the newest schema that server knows (the later migrations only add a table and an
 * index it never reads).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { prefixLengthFor } from '../src/core/sync-protocol.js';
import { openStorage } from '../src/server/storage/sql-storage.js';
import { review as validReview } from '../src/server/testing/builders.js';
import { BenchResults } from './bench-results.js';
import { preparePostgres, prepareSqlite, type DatasetSpec, type PreparedDataset } from './bench-server-data.js';
import { fixedRate, type RequestSpec } from './bench-server-rate.js';
import { capacity, printCapacity } from './bench-server-capacity.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: process.env.LANTERN_PG_URL ? 'both' : 'sqlite' },
    duration: { type: 'string' },
    requesters: { type: 'string' },
    reviews: { type: 'string' },
    accounts: { type: 'string' },
    before: { type: 'string' },
    'profile-dir': { type: 'string' },
  },
});
const QUICK = values.quick;
const SPEC: DatasetSpec = {
  requesters: Number(values.requesters ?? (QUICK ? 5_000 : 100_000)),
  reviews: Number(values.reviews ?? (QUICK ? 50_000 : 5_000_000)),
  accounts: Number(values.accounts ?? (QUICK ? 5_000 : 500_000)),
};
const DURATION = Number(values.duration ?? (QUICK ? 2 : 10));
const PG_URL = process.env.LANTERN_PG_URL;
const WRK = '/usr/bin/wrk';
const RATE = 200;

const TARGETS = { deltaRps: 3000, postRps: 800, bucketP99At200: 50, snapshotMBps: 500 } as const;

interface Row {
  scenario: string;
  client: string;
  rps: number;
  p50: number | null;
  p99: number | null;
  bytes: number;
  mbps: number;
  non2xx: number;
}

interface BackendResult {
  rows: Row[];
  at200: Record<string, { p50: number; p99: number; errors: number }>;
  snapshotBytes: number;
  dataset: PreparedDataset;
  aged: number;
  /** The hourly aging job's run before measuring: on SQLite it holds the server's only thread. */
  agingSeconds: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited during start-up');
    const ok = await get(`${url}/v1/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Requests a closed-loop run left in flight (the client stops at its deadline, the server
 * does not) would otherwise be served during the next run: a health check answers only
 * after the backlog ahead of it.
 */
async function settle(url: string): Promise<void> {
  await get(`${url}/v1/health`).catch(() => undefined);
}

async function cannon(scenario: string, options: autocannon.Options): Promise<Row> {
  await settle(String(options.url));
  process.stdout.write(`  ${scenario} (autocannon)… `);
  const result = await autocannon({ duration: DURATION, ...options });
  const row: Row = {
    scenario,
    client: 'autocannon',
    // Completed requests over the run's real length: per-second averages drop a short run's partial seconds.
    rps: Math.round(result.requests.total / Math.max(0.001, result.duration)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    mbps: result.throughput.average / 1e6,
    non2xx: result.non2xx + result.errors,
  };
  process.stdout.write(`${row.rps} req/s, ${row.mbps.toFixed(0)} MB/s\n`);
  return row;
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** wrk's summary: Requests/sec, Transfer/sec, the latency distribution and non-2xx. */
async function wrk(scenario: string, url: string, connections: number, headers: Record<string, string> = {}): Promise<Row | null> {
  if (!existsSync(WRK)) return null;
  await settle(new URL(url).origin);
  process.stdout.write(`  ${scenario} (wrk)… `);
  const args = ['-t2', `-c${connections}`, `-d${DURATION}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  const { stdout } = await promisify(execFile)(WRK, args, { maxBuffer: 1 << 20 });
  const number = (re: RegExp) => Number(stdout.match(re)?.[1] ?? NaN);
  const unit = (value: string, suffix: string | undefined, table: Record<string, number>) => Number(value) * (table[suffix ?? ''] ?? 1);
  const ms = (re: RegExp) => {
    const m = stdout.match(re);
    return m ? unit(m[1]!, m[2], { us: 0.001, ms: 1, s: 1000 }) : null;
  };
  const transfer = stdout.match(/Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/);
  const bytesPerSecond = transfer ? unit(transfer[1]!, transfer[2], { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }) : NaN;
  const total = number(/(\d+) requests in/);
  const read = stdout.match(/requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/);
  const row: Row = {
    scenario,
    client: 'wrk',
    rps: Math.round(number(/Requests\/sec:\s+([\d.]+)/)),
    p50: round2(ms(/50%\s+([\d.]+)(us|ms|s)/)),
    p99: round2(ms(/99%\s+([\d.]+)(us|ms|s)/)),
    bytes: read ? Math.round(unit(read[1]!, read[2], { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }) / Math.max(1, total)) : NaN,
    mbps: bytesPerSecond / 1e6,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) || 0,
  };
  process.stdout.write(`${row.rps} req/s, ${row.mbps.toFixed(0)} MB/s\n`);
  return row;
}

async function benchBackend(backend: 'sqlite' | 'postgres', runId: string): Promise<BackendResult> {
  console.log(`\n== ${backend}: ${SPEC.requesters.toLocaleString()} requesters, ${SPEC.reviews.toLocaleString()} reviews, ${SPEC.accounts.toLocaleString()} accounts`);
  const now = Date.now();
  const onProgress = (text: string) => console.log(`  dataset: ${text}`);
  const dataset = backend === 'sqlite' ? await prepareSqlite(SPEC, { now, onProgress, runId }) : await preparePostgres(PG_URL!, SPEC, { now, onProgress, runId });
  console.log(
    `  dataset ${dataset.built ? `built in ${dataset.buildSeconds!.toFixed(0)} s` : 'reused from the cache'}; copied for this run in ${dataset.copySeconds.toFixed(1)} s` +
      (dataset.checked ? `; summaries the server's recompute reproduces: ${dataset.checked.identical}/${dataset.checked.sampled}` : ''),
  );
  try {
    // What the server's hourly job would do first on a dataset cached earlier: bring the time
    // windows up to now, before measuring rather than during.
    const storage = await openStorage(dataset.database);
    const agingStart = performance.now();
    const aged = await storage.ageWindows(Date.now()).finally(() => storage.close());
    const agingSeconds = (performance.now() - agingStart) / 1000;
    console.log(`  aging job (catching up since the dataset was built): ${aged} requesters recomputed in ${agingSeconds.toFixed(1)} s`);
    return { ...(await measure(dataset)), dataset, aged, agingSeconds };
  } finally {
    await dataset.dispose();
  }
}

/** `--before`: the earlier server on its own copy of the same dataset (aged as above). */
async function benchBefore(backend: 'sqlite' | 'postgres', runId: string, checkout: string): Promise<Omit<BackendResult, 'dataset' | 'aged' | 'agingSeconds'>> {
  console.log(`\n== ${backend}, before (${checkout}): the same dataset`);
  const now = Date.now();
  const onProgress = (text: string) => console.log(`  dataset: ${text}`);
  const dataset = backend === 'sqlite' ? await prepareSqlite(SPEC, { now, onProgress, runId: `${runId}_before` }) : await preparePostgres(PG_URL!, SPEC, { now, onProgress, runId: `${runId}_before` });
  try {
    const storage = await openStorage(dataset.database);
    try {
      await storage.ageWindows(Date.now());
    } finally {
      await storage.close();
    }
    const known = await newestMigrationIn(checkout);
    await forgetMigrationsAfter(dataset.database, known);
    console.log(`  told the copy it is at schema ${known} (the earlier server's newest)`);
    return await measure(dataset, checkout);
  } finally {
    await dataset.dispose();
  }
}

async function newestMigrationIn(checkout: string): Promise<number> {
  const { readdirSync } = await import('node:fs');
  const versions = readdirSync(`${checkout}/src/server/storage/migrations`).map((f) => Number(/^(\d{3})_/.exec(f)?.[1] ?? NaN)).filter(Number.isFinite);
  return Math.max(...versions);
}

async function forgetMigrationsAfter(database: string, version: number): Promise<void> {
  if (database.startsWith('postgres')) {
    const pg = (await import('pg')).default;
    const url = new URL(database);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`DELETE FROM ${schema ? `"${schema}".` : ''}schema_migrations WHERE version > $1`, [version]);
    } finally {
      await client.end();
    }
  } else {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(database);
    try {
      db.prepare('DELETE FROM schema_migrations WHERE version > ?').run(version);
    } finally {
      db.close();
    }
  }
}

async function measure(dataset: PreparedDataset, serverDir = '.'): Promise<Omit<BackendResult, 'dataset' | 'aged' | 'agingSeconds'>> {
  const { data } = dataset;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // --profile-dir: each server process writes a V8 CPU profile there when it exits (SIGTERM ends it cleanly).
  const profile = values['profile-dir'] ? ['--cpu-prof', '--cpu-prof-dir', values['profile-dir']] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/server/cli.ts', '--port', String(port), '--database', dataset.database, '--log-level', 'warn', '--no-rate-limits'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: serverDir,
  });
  const rows: Row[] = [];
  const at200: BackendResult['at200'] = {};
  try {
    await waitForHealth(url, child);
    // The first request builds the snapshot; every later one is served the same bytes.
    const snapshot = await get(`${url}/v1/sync/snapshot`, { 'accept-encoding': 'gzip' });
    if (snapshot.status !== 200) throw new Error(`snapshot answered ${snapshot.status}`);
    const health = () => get(`${url}/v1/health`).then((r) => JSON.parse(r.body.toString()).version as string);
    const [epoch, seq] = (await health()).split('.') as [string, string];
    const since = `${epoch}.${Math.max(0, Number(seq) - 50)}`;
    const prefixLength = prefixLengthFor(data.requesterKeys.length);
    const randomPrefix = () => Array.from({ length: prefixLength }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    const reviewSpec = (): RequestSpec => ({
      method: 'POST',
      path: '/v1/reviews',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${data.benchSecrets[Math.floor(Math.random() * data.benchSecrets.length)]!}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(
        validReview({ requester: data.requesterKeys[Math.floor(Math.random() * data.requesterKeys.length)]! as never, taskId: `B${randomUUID().slice(0, 18)}` }),
      ),
    });

    const gzip = { 'accept-encoding': 'gzip' };
    rows.push(await cannon('snapshot (gzip)', { url, connections: 4, headers: gzip, requests: [{ method: 'GET', path: '/v1/sync/snapshot' }] }));
    const snapshotWrk = await wrk('snapshot (gzip)', `${url}/v1/sync/snapshot`, 8, gzip);
    if (snapshotWrk) rows.push(snapshotWrk);
    const deltaPath = `/v1/sync/changes?since=${since}`;
    rows.push(await cannon('delta (50 rows)', { url, connections: 20, requests: [{ method: 'GET', path: deltaPath }] }));
    const deltaWrk = await wrk('delta (50 rows)', `${url}${deltaPath}`, 20);
    if (deltaWrk) rows.push(deltaWrk);
    rows.push(
      await cannon(`bucket (${prefixLength} hex)`, {
        url,
        connections: 20,
        requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: `/v1/buckets?prefix=${randomPrefix()}` }) }],
      }),
    );
    rows.push(await cannon('review POST', { url, connections: 20, requests: [{ setupRequest: (req: any) => ({ ...req, ...reviewSpec() }) }] }));

    // Open loop at a fixed rate: latency counts from when each request was due.
    const fixed = async (scenario: string, next: () => RequestSpec) => {
      // Below the rate, the queue and not the server would be measured (and would take minutes to drain).
      const capacity = best(rows, scenario, 'rps');
      if (capacity < RATE * 1.2) {
        console.log(`  ${scenario} at ${RATE} req/s: not run, the server answered only ${capacity} req/s closed-loop`);
        at200[scenario] = { p50: NaN, p99: NaN, errors: 0 };
        return;
      }
      await settle(url);
      process.stdout.write(`  ${scenario} at ${RATE} req/s… `);
      const result = await fixedRate(url, RATE, DURATION, next);
      process.stdout.write(`p50 ${result.p50} ms, p99 ${result.p99} ms\n`);
      at200[scenario] = result;
    };
    // The POST run moved the head: ask for the last 50 changes again, as a polling client would.
    const head = await health();
    const recent = `${epoch}.${Math.max(0, Number(head.split('.')[1]) - 50)}`;
    await fixed('delta', () => ({ method: 'GET', path: `/v1/sync/changes?since=${recent}` }));
    await fixed('bucket', () => ({ method: 'GET', path: `/v1/buckets?prefix=${randomPrefix()}` }));
    await fixed('review POST', reviewSpec);
    return { rows, at200, snapshotBytes: snapshot.body.length };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

function printTable(backend: string, result: Omit<BackendResult, 'dataset' | 'aged' | 'agingSeconds'>, reviews: number) {
  console.log(`\n### ${backend} — ${SPEC.requesters.toLocaleString()} requesters, ${reviews.toLocaleString()} reviews, ${SPEC.accounts.toLocaleString()} accounts, ${DURATION} s per run\n`);
  console.log('| scenario | client | req/s | MB/s | p50 ms | p99 ms | bytes/resp | non-2xx |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of result.rows) console.log(`| ${r.scenario} | ${r.client} | ${r.rps} | ${r.mbps.toFixed(1)} | ${r.p50 ?? '–'} | ${r.p99 ?? '–'} | ${r.bytes} | ${r.non2xx} |`);
  console.log(`\n| at ${RATE} req/s, open loop | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|`);
  for (const [scenario, r] of Object.entries(result.at200)) {
    // A scenario whose closed-loop rate is below the fixed rate is not run at it (said above the table).
    if (Number.isNaN(r.p50)) console.log(`| ${scenario} | not run: below ${RATE} req/s closed-loop | | |`);
    else console.log(`| ${scenario} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  }
  console.log(`\nsnapshot: ${(result.snapshotBytes / 1e6).toFixed(2)} MB gzip-compressed`);
}

/** The best of the clients: a client that cannot keep up understates the server. */
function best(rows: Row[], scenario: string, field: 'rps' | 'mbps'): number {
  return Math.max(...rows.filter((r) => r.scenario.startsWith(scenario)).map((r) => r[field]).filter(Number.isFinite));
}

const backends = values.backend === 'both' ? (['sqlite', 'postgres'] as const) : ([values.backend] as ('sqlite' | 'postgres')[]);
if (backends.includes('postgres') && !PG_URL) throw new Error('--backend postgres needs LANTERN_PG_URL');
const { cpus, loadavg } = await import('node:os');
console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const runId = `${process.pid}`;
const results = new Map<string, BackendResult>();
const beforeResults = new Map<string, Omit<BackendResult, 'dataset' | 'aged' | 'agingSeconds'>>();
for (const backend of backends) {
  results.set(backend, await benchBackend(backend, runId));
  if (values.before) beforeResults.set(backend, await benchBefore(backend, runId, values.before));
}

const bench = new BenchResults('server', {
  quick: QUICK,
  extra: {
    dataset: SPEC,
    durationSeconds: DURATION,
    datasets: Object.fromEntries(
      [...results].map(([backend, r]) => [
        backend,
        { reviews: r.dataset.data.reviews, built: r.dataset.built, buildSeconds: r.dataset.buildSeconds, copySeconds: r.dataset.copySeconds, checked: r.dataset.checked, aged: r.aged },
      ]),
    ),
  },
});
for (const [backend, result] of results) {
  printTable(backend, result, result.dataset.data.reviews);
  const before = beforeResults.get(backend);
  if (before) {
    printTable(`${backend}, before`, before, result.dataset.data.reviews);
    bench.table(`${backend} before`, before.rows.map((r) => ({ ...r })));
    bench.table(`${backend} before at ${RATE} req/s`, Object.entries(before.at200).map(([scenario, r]) => ({ scenario, ...r })));
    for (const scenario of ['snapshot', 'delta', 'bucket', 'review POST']) {
      const field = scenario === 'snapshot' ? 'mbps' : 'rps';
      bench.figure(`${backend}: ${scenario} now / before (${field})`, best(result.rows, scenario, field) / best(before.rows, scenario, field), '×');
    }
  }
  bench.table(backend, result.rows.map((r) => ({ ...r })));
  bench.table(`${backend} at ${RATE} req/s`, Object.entries(result.at200).map(([scenario, r]) => ({ scenario, ...r })));
  const delta = best(result.rows, 'delta', 'rps');
  const snapshotMBps = best(result.rows, 'snapshot', 'mbps');
  const snapshotRps = best(result.rows, 'snapshot', 'rps');
  const post = best(result.rows, 'review POST', 'rps');
  const bucket = best(result.rows, 'bucket', 'rps');
  bench.figure(`${backend}: snapshot size (gzip)`, result.snapshotBytes / 1e6, 'MB');
  bench.figure(`${backend}: snapshot`, snapshotRps, 'req/s');
  bench.figure(`${backend}: bucket`, bucket, 'req/s');
  for (const [scenario, r] of Object.entries(result.at200)) bench.figure(`${backend}: ${scenario} p99 at ${RATE} req/s`, r.p99, 'ms');
  bench.figure(`${backend}: aging job catching up (${result.aged} requesters)`, result.agingSeconds, 's');
  if (result.dataset.buildSeconds !== null) bench.figure(`${backend}: dataset build`, result.dataset.buildSeconds, 's');
  bench.target(`${backend}: delta ≥ ${TARGETS.deltaRps.toLocaleString()} req/s`, delta, '>=', TARGETS.deltaRps, 'req/s');
  if (backend === 'sqlite') bench.target(`${backend}: review POST ≥ ${TARGETS.postRps} req/s`, post, '>=', TARGETS.postRps, 'req/s');
  else bench.figure(`${backend}: review POST`, post, 'req/s');
  bench.target(`${backend}: bucket p99 at ${RATE} req/s ≤ ${TARGETS.bucketP99At200} ms`, result.at200.bucket?.p99 ?? NaN, '<=', TARGETS.bucketP99At200, 'ms');
  bench.target(`${backend}: snapshot payload ≥ ${TARGETS.snapshotMBps} MB/s`, snapshotMBps, '>=', TARGETS.snapshotMBps, 'MB/s');
  bench.target(`${backend}: snapshot ≤ 4 MB gzip`, result.snapshotBytes / 1e6, '<=', 4, 'MB');
  const served = capacity({ deltaRps: delta, snapshotRps, postRps: post, bucketRps: bucket });
  printCapacity(backend, served);
  bench.figure(`${backend}: workers one machine serves at 5-minute polls`, served.workers, 'workers');
}
bench.write();

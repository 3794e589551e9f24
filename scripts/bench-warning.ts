/**
 * `npm run bench:warning [-- --quick]`
 *
 * The suspension early warning's two costs, in real Chromium with the built extension:
 *
 * 1. Matching, in the service worker: a work log of 50,000 entries, a replica of 100k
 *    requesters of which 1,000 carry a suspect task group (100 of them in the log). Timed:
 *    the matcher end to end (suspect index → work log → matches stored), the first time
 *    (100 matches written) and again (steady state, after every sync), and with the suspect
 *    index dropped (rebuilt by scanning the replica: what the index saves). Baseline in the
 *    same worker: a plain scan — every log entry read with getAll, a Set lookup each.
 *    Target: matching ≤ 50 ms.
 * 2. Recording a page visit of 100 rows of the worker's own work (a status-details page):
 *    on the page's main thread, the adapter's read plus posting `content/work-seen` (what
 *    the content script's work-log feature does in an idle moment); in the background, the
 *    round trip until the observations are stored. Baseline on the same page and thread: a
 *    plain scan of the same 100 rows (props parsed, each row's text read). Target: the
 *    recording (the IndexedDB work) off the page's main thread.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build as esbuild } from 'esbuild';
import type { CDPSession, Page } from 'playwright';
import { backgroundOf, extensionIdOf, extensionPage, launchWithExtension } from '../e2e/browser.js';
import { BenchResults } from './bench-results.js';
import { build } from './build.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } } });
const ENTRIES = values.quick ? 10_000 : 50_000;
const REQUESTERS = values.quick ? 10_000 : 100_000;
const SUSPECTS = 1_000;
const IN_LOG = 100;
const PAGE_ROWS = 100;
const RUNS = Number(values.runs ?? (values.quick ? 3 : 7));
const MATCH_TARGET_MS = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A status-details page of `n` rows (props as MTurk ships them); ids unique to `run`. */
function statusPage(run: number, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const gid = `3BENCH${String(run).padStart(4, '0')}${String(i).padStart(20, '0')}`;
    return {
      requester_id: `A${String(run * 1000 + i).padStart(13, '0')}`,
      requester_name: `Requester ${i}`,
      title: `Task ${i} of run ${run}`,
      assignment_id: `3ASSIGN${String(run).padStart(4, '0')}${String(i).padStart(19, '0')}`,
      reward: { currency_code: 'USD', amount_in_dollars: 0.5 },
      state: i % 3 === 0 ? 'Approved' : 'Pending',
      contact_requester_url: `https://worker.mturk.com/contact_requester/hit_type_messages/new?hit_type_message%5Bhit_type_id%5D=${gid}&hit_type_message%5Brequester_id%5D=A${i}`,
    };
  });
  const props = JSON.stringify({ bodyData: rows }).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const items = rows.map((r) => `<li class="table-row"><span>${r.requester_name}</span><span>${r.title}</span><span>$0.50</span><span>${r.state}</span></li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Status</title></head><body>
<div data-react-class="require('reactComponents/hitStatusDetailsTable/HitStatusDetailsTable')['default']" data-react-props="${props}"><ol>${items}</ol></div></body></html>`;
}

interface MatchTimes {
  first: number;
  again: number;
  rebuild: number;
  baseline: number;
  matches: number;
}

/** Seeds the worker: the work log and the replica, generated in the worker itself. */
async function seed(background: import('playwright').Worker): Promise<void> {
  await background.evaluate('globalThis.__name = (f) => f');
  await background.evaluate(
    async ({ entries, requesters, suspects, inLog }) => {
      const g = globalThis as unknown as {
        lanternWorkLog: { putEntries(e: unknown[]): Promise<void> };
        lantern: { replica: { applyChanges(rows: unknown[], removed: string[], expected: null, complete: object): Promise<void> } };
      };
      const key = (i: number) => `mturk:A${String(i).padStart(13, '0')}`;
      const now = Date.now();
      const log = [];
      for (let i = 0; i < entries; i++) {
        // Suspect groups 0..inLog-1 are tasks of this log; the rest of the log is other work.
        const requester = key(i % 5000);
        const taskId = i < inLog ? `3SUSPECT${String(i).padStart(20, '0')}` : `3WORK${String(i).padStart(23, '0')}`;
        const at = now - (i % 100) * 86_400_000;
        log.push({ id: `${requester}|${taskId}|3A${i}`, requester, requesterName: `Requester ${i % 5000}`, taskId, assignmentId: `3A${i}`, taskTitle: `Task ${i}`, reward: { cents: 50, currency: 'USD' }, firstSeenAt: at, acceptedAt: at, submittedAt: at + 600_000, returnedAt: null, outcome: null, decidedAt: null, lastAt: at + 600_000, reviewed: false });
      }
      for (let i = 0; i < log.length; i += 5000) await g.lanternWorkLog.putEntries(log.slice(i, i + 5000));
      const rows = [];
      for (let i = 0; i < requesters; i++) {
        const row: unknown[] = [key(i), `Requester ${i}`, 0, 0, [0, null, 0], [0, 0, 0, 0], 0, 0];
        // Requesters 0..suspects-1 each have one suspect group; the first inLog are in the log.
        if (i < suspects) row.push([[`3SUSPECT${String(i).padStart(20, '0')}`, i % 2 ? 2 : 1, 3, '2026-11-30']]);
        rows.push(row);
      }
      for (let i = 0; i < rows.length; i += 20_000) await g.lantern.replica.applyChanges(rows.slice(i, i + 20_000), [], null, {});
    },
    { entries: ENTRIES, requesters: REQUESTERS, suspects: SUSPECTS, inLog: IN_LOG },
  );
}

/** One round of matching timings in the service worker. */
async function timeMatching(background: import('playwright').Worker): Promise<MatchTimes> {
  return background.evaluate(async () => {
    const g = globalThis as unknown as { lantern: { matchSuspectsSoon(): Promise<{ matches: unknown[] } | null> } };
    const open = () =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('lantern');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const done = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => ((tx.oncomplete = () => resolve()), (tx.onerror = () => reject(tx.error))));
    const raw = await open();
    // Whatever the seeding's replica writes started (badge index, matching) is over.
    const idle = g as unknown as { lantern: { badgeIndexStatus(): { building: boolean } } };
    while (idle.lantern.badgeIndexStatus().building) await new Promise((resolve) => setTimeout(resolve, 20));
    await g.lantern.matchSuspectsSoon();
    // First match: no match stored yet.
    let tx = raw.transaction('suspectMatches', 'readwrite');
    tx.objectStore('suspectMatches').clear();
    await done(tx);
    let start = performance.now();
    const run = await g.lantern.matchSuspectsSoon();
    const first = performance.now() - start;
    start = performance.now();
    await g.lantern.matchSuspectsSoon();
    const again = performance.now() - start;
    // Without the suspect index: the matcher rebuilds it by scanning the whole replica.
    tx = raw.transaction('meta', 'readwrite');
    tx.objectStore('meta').delete('suspects');
    await done(tx);
    start = performance.now();
    await g.lantern.matchSuspectsSoon();
    const rebuild = performance.now() - start;
    // Baseline: a plain scan of the log against the same 1,000 groups.
    start = performance.now();
    const wanted = new Set<string>();
    for (let i = 0; i < 1000; i++) wanted.add(`mturk:A${String(i).padStart(13, '0')}|3SUSPECT${String(i).padStart(20, '0')}`);
    tx = raw.transaction('workLog');
    const all = await new Promise<{ requester: string; taskId: string }[]>((resolve) => {
      const request = tx.objectStore('workLog').getAll();
      request.onsuccess = () => resolve(request.result as { requester: string; taskId: string }[]);
    });
    const hits = all.filter((e) => wanted.has(`${e.requester}|${e.taskId}`)).length;
    const baseline = performance.now() - start;
    raw.close();
    if (hits === 0) throw new Error('baseline found nothing');
    return { first, again, rebuild, baseline, matches: run?.matches.length ?? 0 };
  });
}

const messagesSeen = (background: import('playwright').Worker) =>
  background.evaluate(() => (globalThis as unknown as { lanternWorkLog: { stats: { messages: number } } }).lanternWorkLog.stats.messages);

/** The content script's isolated world on `page` (where the extension's content script runs). */
async function isolatedWorld(page: Page, extensionId: string): Promise<{ cdp: CDPSession; contextId: number }> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: (typeof contexts)[number] }) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  for (let i = 0; i < 200; i++) {
    const found = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(extensionId));
    if (found) return { cdp, contextId: found.id };
    await page.waitForTimeout(10);
  }
  throw new Error('no content-script world on the page');
}

interface RecordTimes {
  read: number;
  post: number;
  background: number;
  baseline: number;
  recorded: number;
}

/** In the content script's world: read + post as the work-log feature does; the plain scan. */
const RECORD_EXPRESSION = `(async () => {
  const url = new URL(location.href);
  let start = performance.now();
  const seen = __platforms.adapterFor(url).work(document, url);
  const read = performance.now() - start;
  const observations = seen.map((o) => ({ ...o, assignmentId: o.assignmentId + 'B' }));
  start = performance.now();
  const reply = chrome.runtime.sendMessage({ type: 'content/work-seen', payload: { observations } });
  const post = performance.now() - start;
  const answer = await reply;
  const background = performance.now() - start;
  if (!answer || !answer.ok) throw new Error('work-seen: ' + JSON.stringify(answer));
  start = performance.now();
  const mount = document.querySelector('[data-react-class*="HitStatusDetailsTable"]');
  const rows = JSON.parse(mount.getAttribute('data-react-props')).bodyData;
  let chars = 0;
  for (const row of rows) chars += String(row.requester_id).length + String(row.title).length;
  for (const li of document.querySelectorAll('li.table-row')) chars += li.textContent.length;
  const baseline = performance.now() - start;
  return { read, post, background, baseline, recorded: answer.value.recorded, chars };
})()`;

async function main(): Promise<void> {
  await build({ quiet: true, testHooks: true });
  const adapters = (await esbuild({ entryPoints: [join('src', 'platforms', 'index.ts')], bundle: true, format: 'iife', globalName: '__platforms', write: false })).outputFiles[0]!.text;
  const browser = await launchWithExtension();
  try {
    const background = await backgroundOf(browser);
    const ui = await extensionPage(browser, background);
    console.log(`Seeding: ${ENTRIES.toLocaleString()} work-log entries, ${REQUESTERS.toLocaleString()} requesters (${SUSPECTS.toLocaleString()} with a suspect task group, ${IN_LOG} of them in the log)…`);
    await seed(background);

    const match: MatchTimes[] = [];
    for (let run = 0; run < RUNS; run++) match.push(await timeMatching(background));
    if (match.some((m) => m.matches !== IN_LOG)) throw new Error(`expected ${IN_LOG} matches, got ${match.map((m) => m.matches).join(', ')}`);

    const extensionId = extensionIdOf(background);
    const record: RecordTimes[] = [];
    for (let run = 0; run < RUNS; run++) {
      const path = `https://worker.mturk.com/status_details/2026-12-0${1 + (run % 9)}`;
      await browser.route(path, (route) => route.fulfill({ contentType: 'text/html', body: statusPage(run, PAGE_ROWS) }));
      const page = await browser.newPage();
      // The content script records the page itself in an idle moment: let it, then time
      // the same path with observations it hasn't sent (fresh assignment ids), so both
      // runs don't race for the same entries.
      const before = await messagesSeen(background);
      await page.goto(path);
      while ((await messagesSeen(background)) === before) await page.waitForTimeout(10);
      const { cdp, contextId } = await isolatedWorld(page, extensionId);
      await cdp.send('Runtime.evaluate', { expression: `${adapters};globalThis.__platforms = __platforms;`, contextId });
      const result = (await cdp.send('Runtime.evaluate', { expression: RECORD_EXPRESSION, contextId, awaitPromise: true, returnByValue: true })) as {
        result: { value?: RecordTimes };
        exceptionDetails?: { exception?: { description?: string } };
      };
      if (result.exceptionDetails || !result.result.value) throw new Error(result.exceptionDetails?.exception?.description ?? 'no result');
      record.push(result.result.value);
      await page.close();
      await browser.unroute(path);
    }
    await ui.close();

    const m = (pick: (t: MatchTimes) => number) => median(match.map(pick));
    const r = (pick: (t: RecordTimes) => number) => median(record.map(pick));
    const base = m((t) => t.baseline);
    const rows: [string, number, string][] = [
      [`match ${SUSPECTS.toLocaleString()} suspect groups, first (${IN_LOG} matches stored)`, m((t) => t.first), `${(m((t) => t.first) / base).toFixed(2)}× scan`],
      ['match again (every sync after)', m((t) => t.again), `${(m((t) => t.again) / base).toFixed(2)}× scan`],
      ['match with the suspect index dropped (replica scanned)', m((t) => t.rebuild), `${(m((t) => t.rebuild) / base).toFixed(2)}× scan`],
      [`baseline: getAll ${ENTRIES.toLocaleString()} entries + Set lookup`, base, '1.00× scan'],
    ];
    const pageBase = r((t) => t.baseline);
    const mainThread = r((t) => t.read) + r((t) => t.post);
    const recordRows: [string, number, string][] = [
      [`record ${PAGE_ROWS} rows: page main thread (read ${r((t) => t.read).toFixed(2)} + post ${r((t) => t.post).toFixed(2)})`, mainThread, `${(mainThread / pageBase).toFixed(2)}× scan`],
      ['record: background, until stored (off the page thread)', r((t) => t.background), '—'],
      [`baseline: plain scan of the same ${PAGE_ROWS} rows (main thread)`, pageBase, '1.00× scan'],
    ];
    const width = Math.max(...[...rows, ...recordRows].map(([name]) => name.length)) + 2;
    console.log(`\n${'what'.padEnd(width)}${'median ms'.padStart(11)}${'ratio'.padStart(14)}`);
    for (const [name, ms, ratio] of [...rows, ...recordRows]) console.log(`${name.padEnd(width)}${ms.toFixed(2).padStart(11)}${ratio.padStart(14)}`);
    const worst = Math.max(m((t) => t.first), m((t) => t.again));
    // Timings scale with what else the machine runs: say so beside them.
    console.log(`\nMedians of ${RUNS} runs, on ${cpus().length} cores at load average ${loadavg()[0]!.toFixed(1)}. Recorded per visit: ${r((t) => t.recorded)} entries.`);
    const off = r((t) => t.post) < r((t) => t.background);
    console.log(
      `Recording: the page pays ${mainThread.toFixed(2)} ms (reading the rows, posting the message); storing them (${r((t) => t.background).toFixed(2)} ms round trip) runs in the background${off ? '' : ' — but posting took longer than storing'}.`,
    );
    const results = new BenchResults('warning', {
      quick: values.quick,
      extra: { entries: ENTRIES, requesters: REQUESTERS, suspects: SUSPECTS, inLog: IN_LOG, pageRows: PAGE_ROWS, runs: RUNS, recordedPerVisit: r((t) => t.recorded) },
    });
    for (const [name, ms] of [...rows, ...recordRows]) results.figure(name, ms, 'ms');
    results.table('medians', [...rows, ...recordRows].map(([what, ms, ratio]) => ({ what, ms, ratio })));
    results.target(`matching (first and again, the slower) ≤ ${MATCH_TARGET_MS} ms`, worst, '<=', MATCH_TARGET_MS, 'ms');
    // Off the main thread: the page's post returns before the background has stored the rows.
    results.target('recording off the page thread: page post ÷ background store', r((t) => t.post) / r((t) => t.background), '<=', 1, '×');
    results.write();
  } finally {
    await browser.close();
  }
}

await main();

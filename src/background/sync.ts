/**
 * Keeps the local replica in step with the server: a snapshot first, then changes since
 * the replica's version on an alarm at the server's advised interval (jitter spreads it
 * below the advice, never above, and never beyond 5 minutes: a review reaches every other
 * worker within 5 minutes), with exponential backoff on errors. A body that fails validation or whose checksum doesn't
 * match is never applied; a checksum mismatch after a delta falls back to the snapshot.
 */
import browser from 'webextension-polyfill';
import type { SyncStatus } from '../core/extension-state.js';
import { Rules } from '../core/rules.js';
import { DeltaHead, readSyncBody, SnapshotHead } from '../core/sync-protocol.js';
import type { RequesterKey } from '../core/requester-key.js';
import { keyOfSummaryText, type EncodedSummaryText } from '../core/summary-text.js';
import { describeIssues } from '../core/validation.js';
import { patchMeta, readMeta, type SyncMeta } from './db.js';
import { applyChangedTexts, batchWriteNotices, ChecksumMismatch, countRows, replaceAllTexts } from './replica.js';
import { dropConfirmed } from './own-overlay.js';
import { forgetAllReviewTexts, forgetReviewTexts } from './reviews-cache.js';
import { whileKeptAlive } from './keep-alive.js';
import { callServer, readJson, ServerError } from './server-api.js';
import { getRules, getSettings, setRules } from './settings.js';

export const SYNC_ALARM = 'lantern-sync';
const MIN_WAIT_S = 30; // alarms can't fire sooner in Chrome
const MAX_BACKOFF_S = 60 * 60;
/** The promise to workers: another worker's review shows within this many seconds. */
const MAX_WAIT_S = 5 * 60;

let running: Promise<void> | null = null;

/**
 * Jitter spreads many browsers' polls apart: up to 20 % below the wait, never above, so
 * the server's advice (and the 5-minute promise) is a bound, not an average.
 */
function withJitter(seconds: number): number {
  return Math.max(MIN_WAIT_S, seconds) * (1 - Math.random() * 0.2);
}

/** The server's advice, within the 5-minute promise. */
function advised(seconds: number): number {
  return Math.min(MAX_WAIT_S, seconds);
}

function backoffSeconds(failures: number): number {
  return Math.min(MAX_BACKOFF_S, MIN_WAIT_S * 2 ** Math.max(0, failures - 1));
}

async function schedule(seconds: number): Promise<number> {
  const at = Math.round(Date.now() + seconds * 1000);
  await browser.alarms.create(SYNC_ALARM, { when: at });
  return at;
}

class BadBody extends Error {}

/**
 * Each sync's phases as performance measures named `lantern-sync:<phase>` (the last
 * sync's only: a new sync clears them), so a profiler or bench:sync can see where the
 * time goes without a debug build.
 */
const PHASES = ['fetch', 'read', 'write', 'reviews', 'rules', 'overlay', 'finish', 'total'] as const;
async function phase<T>(name: (typeof PHASES)[number], work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    performance.measure(`lantern-sync:${name}`, { start });
  }
}

/** A body as text: sync bodies are read row by row from it (see `readSyncBody`). */
async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    throw new ServerError('The server’s answer was cut off.', response.status, null, 'malformed');
  }
}

/** A snapshot's fields and its rows' texts, checked (see `readSyncBody`). */
async function fetchSnapshot(): Promise<{ head: SnapshotHead; rows: EncodedSummaryText[] }> {
  const text = await phase('fetch', async () => readText(await callServer('/v1/sync/snapshot')));
  const body = await phase('read', () => readSyncBody(text, SnapshotHead));
  if ('error' in body) throw new BadBody(`The server sent a snapshot Lantern can't read (${body.error}); nothing was changed.`);
  return body;
}

/**
 * The snapshot, then at once the changes since it: a snapshot may be a few minutes old
 * (the server rebuilds it at most every few minutes, caches may hold it), and the delta's
 * answer carries the server's advised wait, which the snapshot doesn't.
 */
async function takeSnapshot(): Promise<DeltaOutcome> {
  await patchMeta({ snapshotProgress: { done: 0, total: 0 } });
  const { head: snapshot, rows } = await fetchSnapshot();
  await patchMeta({ snapshotProgress: { done: 0, total: rows.length } });
  await phase('write', () => replaceAllTexts(
    rows,
    snapshot.checksum,
    { version: snapshot.version, rulesVersion: snapshot.rulesVersion, bucketPrefixLength: snapshot.bucketPrefixLength },
    async (done, total) => {
      await patchMeta({ snapshotProgress: { done, total } });
    },
  ));
  // Any requester may have changed since review texts were cached.
  await phase('reviews', forgetAllReviewTexts);
  return takeChanges(snapshot.version);
}

interface DeltaOutcome {
  rulesVersion: number;
  waitSeconds: number;
}

/** Fetches every page of changes since `version`, then applies them in one transaction. */
async function takeChanges(version: string): Promise<DeltaOutcome> {
  const rows: EncodedSummaryText[] = [];
  const removed = new Set<RequesterKey>();
  let since = version;
  for (let page = 0; page < 1000; page += 1) {
    const text = await phase('fetch', async () => readText(await callServer(`/v1/sync/changes?since=${encodeURIComponent(since)}`)));
    const body = await phase('read', () => readSyncBody(text, DeltaHead));
    if ('error' in body) throw new BadBody(`The server sent changes Lantern can't read (${body.error}); nothing was changed.`);
    const delta = body.head;
    if (delta.since !== since) throw new BadBody('The server answered for another version; nothing was changed.');
    rows.push(...body.rows);
    for (const key of delta.removed) removed.add(key);
    since = delta.version;
    if (!delta.more) {
      await phase('write', () =>
        applyChangedTexts(rows, [...removed], delta.checksum, {
          version: delta.version,
          rulesVersion: delta.rulesVersion,
          bucketPrefixLength: delta.bucketPrefixLength,
        }),
      );
      // Review texts cached for a changed requester would contradict its new counts.
      if (rows.length > 0 || removed.size > 0) await phase('reviews', () => forgetReviewTexts([...rows.map(keyOfSummaryText), ...removed]));
      return { rulesVersion: delta.rulesVersion, waitSeconds: delta.retryAfterSeconds };
    }
  }
  throw new BadBody('The server kept sending more pages of changes; stopped.');
}

async function refreshRules(version: number): Promise<void> {
  if ((await getRules()).version === version) return;
  const rules = Rules.safeParse(await readJson(await callServer(`/v1/rules/${version}`)));
  if (!rules.success) throw new BadBody(`The server's rules can't be read (${describeIssues(rules.error)}).`);
  await setRules(rules.data);
}

async function runSync(): Promise<void> {
  if (!(await getSettings()).serverUrl) return;
  const startedAt = Date.now();
  for (const name of PHASES) performance.clearMeasures(`lantern-sync:${name}`);
  const meta = await readMeta();
  try {
    let outcome: DeltaOutcome;
    if (!meta.version) outcome = await takeSnapshot();
    else {
      try {
        outcome = await takeChanges(meta.version);
      } catch (error) {
        // Drift, or a token the server no longer knows: start over from the snapshot.
        const unknownVersion = error instanceof ServerError && error.code === 'unknown_version';
        if (!(error instanceof ChecksumMismatch) && !unknownVersion) throw error;
        outcome = await takeSnapshot();
      }
    }
    await phase('rules', () => refreshRules(outcome.rulesVersion));
    // The rows now hold every review the author delivered before this sync began.
    await phase('overlay', async () => dropConfirmed(startedAt, (await readMeta()).version));
    await phase('finish', async () => {
      const nextSyncAt = await schedule(withJitter(advised(outcome.waitSeconds)));
      await patchMeta({ lastSyncAt: Date.now(), nextSyncAt, lastError: null, failures: 0, snapshotProgress: null });
    });
  } catch (error) {
    const failures = meta.failures + 1;
    const nextSyncAt = await schedule(withJitter(backoffSeconds(failures)));
    const message = error instanceof Error ? error.message : String(error);
    await patchMeta({ lastError: message, failures, nextSyncAt, snapshotProgress: null });
  }
}

/** One sync at a time; a second caller waits for the one running. */
export function syncNow(): Promise<void> {
  // What the sync wrote is told to the badge index once, when it ends (replica.ts). The
  // background is kept running meanwhile: neither browser counts a fetch or IndexedDB as
  // activity, and a sync stopped halfway leaves its notices untold until the next start.
  running ??= whileKeptAlive(() => batchWriteNotices(() => phase('total', runSync))).finally(() => {
    running = null;
  });
  return running;
}

/**
 * A sync that starts after now: after a delivery, a sync already running may have read
 * the server before the review was there, so one more follows it.
 */
export function syncAfterNow(): Promise<void> {
  return running ? running.then(() => syncNow()) : syncNow();
}

export async function syncStatus(): Promise<SyncStatus> {
  const meta: SyncMeta = await readMeta();
  const state: SyncStatus['state'] = running ? 'syncing' : meta.lastError ? 'error' : meta.version ? 'idle' : 'never';
  return {
    state,
    version: meta.version,
    rows: await countRows(),
    lastSyncAt: meta.lastSyncAt,
    nextSyncAt: meta.nextSyncAt,
    lastError: meta.lastError,
    snapshotProgress: meta.snapshotProgress,
  };
}

/**
 * How each stored record is read, field by field (fields.ts): the worker's settings, the
 * account, an outbox item and the sync record of the replica. Pure: the callers say where
 * the raw value came from and what to fall back to.
 */
import * as z from 'zod/mini';
import { AccountRecord, BlockEntry, OutboxItem, ServerUrl, Settings, StoredSubmission } from '../../core/extension-state.js';
import { repairText, TEXT_REFUSALS } from '../../core/fields.js';
import { perPlatform } from '../../core/platforms.js';
import { Currency, int, num, type Thresholds } from '../../core/rules.js';
import { Checksum, VersionToken } from '../../core/sync-protocol.js';
import type { AlertSettings, WorkLogSettings } from '../../core/work-log.js';
import type { SyncMeta } from '../sync-meta.js';
import { keyed, list, object, readRecord, value, type StoredProblem } from './fields.js';

const thresholds = object<Thresholds>({
  minHourlyCents: keyed(Currency.options, int(0, 100_000)),
  minRating: value(z.nullable(num(1, 5))),
});

const settingsReader = object<Settings>({
  serverUrl: value(z.nullable(ServerUrl)),
  thresholds,
  blocklist: list(BlockEntry, 10_000),
  filterMode: value(Settings.shape.filterMode),
  platforms: object<Settings['platforms']>(perPlatform(() => value(z.boolean()))),
  workLog: object<WorkLogSettings>({ enabled: value(z.boolean()), retentionDays: value(int(1, 3650)) }),
  alerts: object<AlertSettings>({ notify: value(z.boolean()) }),
});

/** The worker's settings as the field readers take them, before the whole-schema check. */
export function readSettingsFields(raw: unknown, defaults: Settings): Settings {
  return readRecord(settingsReader, 'settings', raw, defaults).value;
}

/**
 * The worker's settings: every field that reads is kept, whatever its siblings hold. The
 * result is checked against the whole schema as well; should the readers and the schema
 * ever disagree, the defaults are used and the disagreement is named (`settings/unchecked`)
 * rather than hidden — and never written back (upgrade.ts, settings.ts), as that would
 * replace the worker's blocklist with the defaults. `whole` is the schema (tests pass another).
 */
export function readSettings(raw: unknown, defaults: Settings, whole: z.ZodMiniType = Settings): { value: Settings; problems: StoredProblem[] } {
  const read = readRecord(settingsReader, 'settings', raw, defaults);
  if (whole.safeParse(read.value).success) return read;
  return { value: defaults, problems: [...read.problems, { field: 'settings', problem: 'unchecked' }] };
}

const accountReader = object<AccountRecord>({ secret: value(AccountRecord.shape.secret) });

/** The account; null when there is none or its secret can't be read (named as a problem). */
export function readAccount(raw: unknown): { value: AccountRecord | null; problems: StoredProblem[] } {
  if (raw === undefined) return { value: null, problems: [] };
  const read = readRecord(accountReader, 'account', raw, { secret: '' });
  if (read.value.secret === '') {
    const named = read.problems.some((p) => p.field === 'account.secret' || p.field === 'account');
    return { value: null, problems: named ? read.problems : [...read.problems, { field: 'account.secret', problem: 'invalid' }] };
  }
  return read;
}

const outboxFields = object<Omit<OutboxItem, 'id' | 'submission'>>({
  createdAt: value(int(0)),
  attempts: value(int(0)),
  state: value(OutboxItem.shape.state),
  lastError: value(z.nullable(z.string())),
  errorField: value(z.nullable(z.string())),
  nextAttemptAt: value(int(0)),
});

/** The value at `path` inside `root` (objects and arrays), or undefined. */
function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let here = root;
  for (const key of path) here = typeof here === 'object' && here !== null ? (here as Record<PropertyKey, unknown>)[key] : undefined;
  return here;
}

/**
 * A stored submission, read with today's schema. Release 0.1.0 checked no control
 * characters, so text it queued may be refused now: each text the schema refuses for what
 * it holds (a control character, lone surrogate, noncharacter) is mended with repairText —
 * first as multi-line text (line breaks kept), then, if it is refused again, as one line —
 * and the submission read again. Nothing but those texts is touched.
 */
function readSubmission(raw: unknown): { value: z.output<typeof StoredSubmission> | null; mended: boolean } {
  let parsed = StoredSubmission.safeParse(raw);
  if (parsed.success) return { value: parsed.data, mended: false };
  let candidate: unknown = raw;
  // Each round mends every text named; a text needs at most two (multi-line, then one line).
  for (let round = 0; round < 4 && !parsed.success; round++) {
    const texts = parsed.error.issues.filter((issue) => TEXT_REFUSALS.includes(issue.message) && issue.path.length > 0);
    if (texts.length === 0) break;
    candidate = structuredClone(candidate);
    for (const { path } of texts) {
      const text = at(candidate, path);
      if (typeof text !== 'string') continue;
      const multiLine = repairText(text, true);
      (at(candidate, path.slice(0, -1)) as Record<PropertyKey, unknown>)[path.at(-1)!] = multiLine !== text ? multiLine : repairText(text, false);
    }
    parsed = StoredSubmission.safeParse(candidate);
  }
  return parsed.success ? { value: parsed.data, mended: true } : { value: null, mended: false };
}

/**
 * One outbox item. Its bookkeeping (attempts, backoff, last error) falls back field by
 * field: at worst it is sent again sooner, and the server keeps one row per id. Text an
 * older release queued that today's rules refuse is mended (readSubmission) so the item is
 * delivered, and named as `mended`. A submission still unreadable is not guessed at:
 * `value` is null, the item stays in the outbox untouched (never dropped), and the problem
 * is named; the outbox lists it as it is stored (outbox.ts) for the worker to copy and discard.
 */
export function readOutboxItem(raw: unknown): { value: OutboxItem | null; problems: StoredProblem[] } {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = record.id;
  const submission = readSubmission(record.submission);
  if (typeof id !== 'string' || !submission.value) {
    return { value: null, problems: [{ field: typeof id === 'string' ? 'outbox.submission' : 'outbox.id', problem: 'invalid' }] };
  }
  const { id: _id, submission: _submission, ...rest } = record;
  const fallback = { createdAt: 0, attempts: 0, state: 'queued' as const, lastError: null, errorField: null, nextAttemptAt: 0 };
  const read = readRecord(outboxFields, 'outbox', rest, fallback);
  const mended: StoredProblem[] = submission.mended ? [{ field: 'outbox.submission', problem: 'mended' }] : [];
  return { value: { id, submission: submission.value, ...read.value }, problems: [...mended, ...read.problems] };
}

/** The fields that say which replica store is in use and what it holds. */
const IDENTITY: readonly (keyof SyncMeta)[] = ['active', 'version', 'checksum', 'rulesVersion', 'bucketPrefixLength'];

const metaReader = object<SyncMeta>({
  active: value(z.enum(['rowsA', 'rowsB'])),
  version: value(z.nullable(VersionToken)),
  checksum: value(Checksum),
  rulesVersion: value(int(1)),
  bucketPrefixLength: value(int(0, 16)),
  lastSyncAt: value(z.nullable(int(0))),
  nextSyncAt: value(z.nullable(int(0))),
  lastError: value(z.nullable(z.string())),
  failures: value(int(0)),
  snapshotProgress: value(z.nullable(z.object({ done: int(0), total: int(0) }))),
});

/**
 * The sync record. Its schedule fields (last sync, failures, last error) fall back one by
 * one; but if any field naming the replica itself can't be read, the replica can't be
 * trusted: its version is dropped (the next sync takes a fresh snapshot, which replaces
 * the rows whole) while the store in use is kept when it reads.
 */
export function readSyncMeta(raw: unknown, initial: SyncMeta): { value: SyncMeta; problems: StoredProblem[] } {
  if (raw === undefined) return { value: initial, problems: [] };
  const read = readRecord(metaReader, 'meta', raw, initial);
  const identityBroken = read.problems.some((p) => p.field === 'meta' || IDENTITY.some((field) => p.field === `meta.${field}`));
  if (!identityBroken) return read;
  return { value: { ...read.value, version: null, checksum: initial.checksum, snapshotProgress: null }, problems: read.problems };
}

/**
 * The recompute after a rules change, in batches (moderation.ts `publishRules` starts it;
 * the leader's job in index.ts walks it). The cursor in server_meta, `<version>:<last key>`,
 * survives restarts and leader changes; a publish resets it to `<new version>:`.
 */
import { Rules } from '../../core/rules.js';
import type { SqlDriver } from './driver.js';
import { recomputeRequester, touchRequester } from './aggregate.js';
import type { RulesHolder } from './moderation-queues.js';

/**
 * One batch of the recompute after a rules change; `more` while requesters remain.
 * All in one transaction holding the cursor's row (PostgreSQL: FOR UPDATE; SQLite: the
 * write transaction is exclusive), so a publish meanwhile waits and then restarts the walk
 * rather than being overwritten or deleted by this batch; and computed with the rules of
 * the cursor's version as stored, not whatever this process holds.
 */
export async function recomputeRulesBatch(driver: SqlDriver, holder: RulesHolder, now: number, batch: number): Promise<{ recomputed: number; more: boolean }> {
  const result = await driver.write(async (tx) => {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const [cursor] = await tx.all<{ value: string }>(`SELECT value FROM server_meta WHERE name = 'rules_recompute_after'${lock}`);
    if (!cursor) return null;
    const parsed = parseRecomputeCursor(cursor.value);
    const [row] = await tx.all<{ rules_json: string }>(
      parsed.version === null
        ? 'SELECT rules_json FROM rules_versions ORDER BY version DESC LIMIT 1'
        : 'SELECT rules_json FROM rules_versions WHERE version = ?',
      parsed.version === null ? [] : [parsed.version],
    );
    if (!row) throw new Error(`the recompute cursor names rules version ${parsed.version}, which is not stored`);
    const rules = Rules.parse(JSON.parse(row.rules_json));
    const keys = await tx.all<{ key: string }>('SELECT key FROM requesters WHERE key > ? AND seq > 0 AND merged_into IS NULL ORDER BY key LIMIT ?', [
      parsed.after,
      batch,
    ]);
    let changed = 0;
    for (const { key } of keys) {
      await touchRequester(tx, key, null, now);
      if (await recomputeRequester(tx, key, now, rules)) changed += 1;
    }
    // Conditional on the value read: a belt to the lock's braces.
    const more = keys.length === batch;
    if (more) {
      await tx.run(`UPDATE server_meta SET value = ? WHERE name = 'rules_recompute_after' AND value = ?`, [
        recomputeCursor(rules.version, keys.at(-1)!.key),
        cursor.value,
      ]);
    } else {
      await tx.run(`DELETE FROM server_meta WHERE name = 'rules_recompute_after' AND value = ?`, [cursor.value]);
    }
    return { recomputed: changed, more, rules };
  });
  if (!result) return { recomputed: 0, more: false };
  // The database's rules are newer than this process's (another process published them): take them.
  if (result.rules.version > holder.get().version) holder.set(result.rules);
  return { recomputed: result.recomputed, more: result.more };
}

/** The recompute cursor's text: `<rules version>:<last key done>` ('' before the first). */
export function recomputeCursor(version: number, after: string): string {
  return `${version}:${after}`;
}

/** A cursor written before it carried the version (a bare key) belongs to the newest rules. */
function parseRecomputeCursor(value: string): { version: number | null; after: string } {
  const match = /^(\d+):([\s\S]*)$/.exec(value);
  return match ? { version: Number(match[1]), after: match[2]! } : { version: null, after: value };
}

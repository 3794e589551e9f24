/**
 * The rules in force inside a write's transaction. Its own module: the writes and the
 * moderation actions both need it, and neither may import the other (no import cycles).
 */
import { Rules } from '../../core/rules.js';
import type { SqlExecutor } from './driver.js';
import type { RulesHolder } from './moderation-queues.js';

/**
 * The rules to compute summaries with, read inside the write's transaction once its
 * requesters are locked: newer rules another process published (whose notice has not
 * arrived yet) are used and adopted. Read after the locks, so either the rules recompute
 * already passed these requesters (its rules were committed before: seen here) or it will
 * pass them after this commit — no summary is left computed under superseded rules.
 */
export async function rulesInForce(tx: SqlExecutor, holder: RulesHolder): Promise<Rules> {
  const held = holder.get();
  const [latest] = await tx.all<{ v: number | null }>('SELECT MAX(version) AS v FROM rules_versions');
  const version = Number(latest?.v ?? 0);
  if (version <= held.version) return held;
  const [row] = await tx.all<{ rules_json: string }>('SELECT rules_json FROM rules_versions WHERE version = ?', [version]);
  if (!row) return held;
  const rules = Rules.parse(JSON.parse(row.rules_json));
  if (rules.version > holder.get().version) holder.set(rules);
  return rules;
}

/**
 * Merging two requester keys that are the same requester.
 */
import { useState } from 'preact/hooks';
import { Action, type Ctx } from '../shared.js';

export function MergeTool(props: { ctx: Ctx }) {
  const [from, setFrom] = useState('');
  const [into, setInto] = useState('');
  return (
    <>
      <h2>Merge two requester keys</h2>
      <p class="muted small">
        When two keys are the same requester (a renamed account, a name-keyed Prolific researcher found by id): reviews, reports and flags move to the key that stays,
        and the other key disappears from every worker's replica at their next sync.
      </p>
      <div class="filters">
        <label>
          Key that goes away
          <input type="text" value={from} onInput={(e) => setFrom(e.currentTarget.value)} placeholder="prolific-name:…" />
        </label>
        <label>
          Key that stays
          <input type="text" value={into} onInput={(e) => setInto(e.currentTarget.value)} placeholder="prolific:…" />
        </label>
      </div>
      <Action
        label="Merge requesters"
        danger
        disabled={!from.trim() || !into.trim()}
        run={(reason) => props.ctx.api('mergeRequesters', { body: { from: from.trim(), into: into.trim(), reason } })}
        done={() => props.ctx.changed(`Merged ${from} into ${into}.`)}
      />
    </>
  );
}

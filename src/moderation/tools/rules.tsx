/**
 * The rules editor: the rules in force as JSON, checked as typed with the same schema the server uses; admins publish a new version; older versions can be read.
 */
import { useEffect, useState } from 'preact/hooks';
import type * as z from 'zod/mini';
import { PublishRulesBody } from '../../core/moderation-protocol.js';
import { describeIssues } from '../../core/validation.js';
import { Action, useLoad, type Ctx } from '../shared.js';

export function RulesEditor(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const { data } = useLoad(ctx, 'rules', {}, props.version);
  const [text, setText] = useState('');
  const [viewing, setViewing] = useState<{ version: number; text: string } | null>(null);
  useEffect(() => {
    if (!data) return;
    const { version: _v, ...rest } = data.current;
    setText(JSON.stringify(rest, null, 2));
  }, [data]);
  let problem: string | null = null;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
    const result = PublishRulesBody.shape.rules.safeParse(parsed);
    if (!result.success) problem = describeIssues(result.error);
  } catch (e) {
    problem = `Not valid JSON: ${(e as Error).message}`;
  }
  const admin = ctx.me.role === 'admin';
  return (
    <>
      <h2>Published rules</h2>
      {data && (
        <p>
          In force: <strong>version {data.current.version}</strong>. Publishing makes a new version (old ones stay readable), and every summary is recomputed
          under it in batches; extensions fetch the new version at their next sync.
        </p>
      )}
      <label>
        Rules (JSON, without “version”)
        <textarea class="rules" spellcheck={false} aria-invalid={problem !== null} aria-describedby="rules-check" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <p id="rules-check" class={problem ? 'status error' : 'status ok'} role="status">
        {problem ? `Not valid: ${problem}` : 'Valid rules.'}
      </p>
      <div class="actions">
        <Action
          label="Publish new rules version"
          danger
          disabled={!admin || problem !== null}
          title={admin ? undefined : 'Only admins can publish rules'}
          run={(reason) => ctx.api('publishRules', { body: { rules: parsed as z.input<typeof PublishRulesBody>['rules'], reason } })}
          done={() => ctx.changed('New rules version published.')}
        />
        {!admin && <span class="muted small">Only admins can publish rules.</span>}
      </div>
      <h3>Versions</h3>
      <ul>
        {data?.versions.map((v) => (
          <li key={v.version}>
            Version {v.version}, published {v.publishedAt.replace('T', ' ').slice(0, 16)} UTC{' '}
            <button
              type="button"
              class="secondary"
              onClick={() => void ctx.api('rulesVersion', { params: { version: String(v.version) } }).then((r) => setViewing({ version: v.version, text: JSON.stringify(r, null, 2) }))}
            >
              View version {v.version}
            </button>
          </li>
        ))}
      </ul>
      {viewing && (
        <>
          <h3>Version {viewing.version}</h3>
          <pre class="review-text mono">{viewing.text}</pre>
        </>
      )}
    </>
  );
}

/**
 * What several queues show the same way: a requester's summary in one line, a review with
 * its flags, the mute and ban actions aimed at what someone wrote, the requester filter.
 */
import { useState } from 'preact/hooks';
import type { AccountTarget, FlaggedItem } from '../core/moderation-protocol.js';
import { assess } from '../core/rating.js';
import { DEFAULT_THRESHOLDS, type Rules } from '../core/rules.js';
import type { RequesterSummary } from '../core/schemas.js';
import { Action, type Ctx } from './shared.js';
import { amount, counted } from './words.js';

export function SummaryLine(props: { summary: RequesterSummary | null; rules: Rules }) {
  if (!props.summary) return <span class="muted small">No summary yet</span>;
  const s = props.summary;
  const { level } = assess(s, DEFAULT_THRESHOLDS, props.rules);
  const hourly = s.allTime.hourly;
  return (
    <span class="small" data-field="summary">
      <span class={`level-${level}`}>{level}</span> · {counted(s.allTime.reviews, 'counted review', 'counted reviews')}
      {s.held > 0 && ` · ${s.held} held`}
      {hourly && ` · ${amount(hourly.centsPerHour, hourly.currency)}/h from ${counted(hourly.tasks, 'task', 'tasks')}`}
      {` · suspension reports from ${counted(s.suspensions.accounts, 'established account', 'established accounts')}`}
      {s.suspensions.confirmed && ' (link confirmed)'}
      {s.phishingConfirmed && ' · phishing confirmed'}
    </span>
  );
}

export function MuteBan(props: { ctx: Ctx; target: AccountTarget; who: string }) {
  const { ctx, target } = props;
  const admin = ctx.me.role === 'admin';
  return (
    <>
      <Action
        label={`Mute ${props.who}`}
        extra={(values, set) => (
          <label>
            Days
            <input type="number" min={1} max={3650} required value={values.days ?? '7'} onInput={(e) => set('days', e.currentTarget.value)} />
          </label>
        )}
        run={(reason, values) => ctx.api('muteAccount', { body: { target, days: Number(values.days ?? '7'), reason } })}
        done={() => ctx.changed(`Muted ${props.who}.`)}
      />
      <Action
        label={`Ban ${props.who}`}
        danger
        disabled={!admin}
        title={admin ? undefined : 'Only admins can ban'}
        run={(reason) => ctx.api('banAccount', { body: { target, reason } })}
        done={() => ctx.changed(`Banned ${props.who}.`)}
      />
    </>
  );
}

export function ReviewBody(props: { item: FlaggedItem; rules: Rules }) {
  const { review, requester, summary } = props.item;
  const ratings = Object.entries(review.ratings)
    .map(([k, v]) => `${k} ${v ?? 'n/a'}`)
    .join(', ');
  return (
    <>
      <div class="row">
        <h3>
          {requester.name || requester.key} <span class="muted small mono">{requester.key}</span>
        </h3>
      </div>
      <p>
        <SummaryLine summary={summary} rules={props.rules} />
      </p>
      <p class="small muted">
        Review <span class="mono">{review.id}</span> by {review.author} on {review.createdOn} · task “{review.taskTitle || review.taskId}” ·{' '}
        {amount(review.reward.cents, review.reward.currency)} · {review.minutes ?? '?'} min · {review.outcome} · {ratings}
      </p>
      {review.text ? <p class="review-text">{review.text}</p> : <p class="muted small">(no text)</p>}
      {review.tags.length > 0 && (
        <p class="small">
          Tags:{' '}
          {review.tags.map((tag) => (
            <span key={tag} class="tag">
              {tag}
            </span>
          ))}
        </p>
      )}
      {props.item.flags.length > 0 && (
        <p class="small" data-field="flags">
          <strong>{props.item.distinctFlaggers} distinct flaggers:</strong>{' '}
          {props.item.flags.map((f) => (
            <span key={f.reason} class="tag" title={f.notes.join(' · ')}>
              {f.reason.replace(/_/g, ' ')} ×{f.count}
              {f.notes.length > 0 && ` — “${f.notes.join('”, “')}”`}
            </span>
          ))}
        </p>
      )}
    </>
  );
}

export function RequesterFilter(props: { value: string; onChange(value: string): void }) {
  const [text, setText] = useState(props.value);
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChange(text.trim());
      }}
    >
      <label>
        Requester key
        <input type="search" placeholder="mturk:A…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="secondary">
        Filter
      </button>
    </form>
  );
}

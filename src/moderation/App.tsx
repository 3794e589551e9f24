/**
 * The moderation page: sign in with an account secret, then one tab per queue (with
 * counts) — incidents first (Incidents.tsx) — server-side paging and filters, actions that
 * each need a reason, the suspension correlation view (Correlation.tsx), the audit log and
 * the rules editor.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  AUDIT_ACTIONS,
  PublishRulesBody,
  type AccountTarget,
  type ActionResult,
  type AuditEntry,
  type FlaggedItem,
  type HeldItem,
  type IssueGroup,
  type Me,
  type Page,
  type QueueCounts,
  type ReportView,
  type RulesVersionInfo,
  type SuspensionGroup,
} from '../core/moderation-protocol.js';
import { assess } from '../core/rating.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS, type Rules } from '../core/rules.js';
import { REQUESTER_FLAG_REASONS, REVIEW_FLAG_REASONS, type RequesterSummary } from '../core/schemas.js';
import { describeIssues } from '../core/validation.js';
import { ApiError, accountReference, call, query, storeSecret, storedSecret } from './api.js';
import { CorrelationView } from './Correlation.js';
import { IncidentsView } from './Incidents.js';
import { Action, Loading, PER_PAGE, Pager, useLoad, type Api, type Ctx } from './shared.js';


// ------------------------------------------------------------------ sign-in

export function App() {
  const [secret, setSecret] = useState<string | null>(storedSecret());
  const [me, setMe] = useState<Me | null>(null);
  const [problem, setProblem] = useState<ComponentChildren>(null);

  const signIn = useCallback(async (candidate: string) => {
    setProblem(null);
    try {
      const who = await call<Me>(candidate, 'GET', '/me');
      storeSecret(candidate);
      setSecret(candidate);
      setMe(who);
    } catch (error) {
      storeSecret(null);
      setSecret(null);
      const reference = await accountReference(candidate);
      if (error instanceof ApiError && error.status === 401) {
        setProblem(
          <>
            <p>This account is not a moderator (or the secret is wrong).</p>
            {reference && (
              <p>
                Its account reference is <code data-field="reference">{reference}</code>. An admin can grant a role on the server with{' '}
                <code>npm run moderator -- grant --role moderator --account {reference}</code>
              </p>
            )}
          </>,
        );
      } else setProblem(<p>{(error as Error).message}</p>);
    }
  }, []);

  useEffect(() => {
    if (secret && !me) void signIn(secret);
  }, []);

  if (!secret || !me) return <SignIn onSignIn={signIn} problem={problem} />;
  const api: Api = (method, path, body) => call(secret, method, path, body);
  return (
    <Moderation
      me={me}
      api={api}
      secret={secret}
      onSignOut={() => {
        storeSecret(null);
        setSecret(null);
        setMe(null);
      }}
    />
  );
}

function SignIn(props: { onSignIn(secret: string): Promise<void>; problem: ComponentChildren }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main>
      <form
        class="signin"
        aria-labelledby="signin-title"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void props.onSignIn(value.trim()).finally(() => setBusy(false));
        }}
      >
        <h1 id="signin-title">Lantern moderation</h1>
        <p class="muted">Sign in with your account secret (the recovery code from the extension's options page). It stays in this tab only.</p>
        <label>
          Account secret
          <input type="password" autocomplete="off" spellcheck={false} required minLength={43} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <div>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </div>
        {props.problem && (
          <div class="status error" role="alert">
            {props.problem}
          </div>
        )}
      </form>
    </main>
  );
}

// ------------------------------------------------------------------ the signed-in page

const TABS = [
  ['incidents', 'Incidents'],
  ['flagged', 'Flagged reviews'],
  ['held', 'Held reviews'],
  ['hidden', 'Hidden reviews'],
  ['suspensions', 'Suspension reports'],
  ['correlation', 'Correlation'],
  ['issues', 'Requester issue flags'],
  ['audit', 'Audit log'],
  ['rules', 'Rules'],
  ['merge', 'Merge requesters'],
] as const;
type Tab = (typeof TABS)[number][0];


function Moderation(props: { me: Me; api: Api; secret: string; onSignOut(): void }) {
  // Incidents lead: a surge of suspensions is the most urgent thing a moderator can see.
  const initial = (location.hash.slice(1) as Tab) || 'incidents';
  const [tab, setTab] = useState<Tab>(TABS.some(([id]) => id === initial) ? initial : 'incidents');
  const [counts, setCounts] = useState<QueueCounts | null>(null);
  const [rules, setRules] = useState<Rules>(DEFAULT_RULES);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [reference, setReference] = useState<string | null>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  useEffect(() => {
    void props.api<QueueCounts>('GET', '/counts').then(setCounts, () => undefined);
    void props.api<{ current: Rules }>('GET', '/rules').then((r) => setRules(r.current), () => undefined);
  }, [version]);
  useEffect(() => {
    void accountReference(props.secret).then(setReference);
  }, [props.secret]);

  const select = (id: Tab) => {
    setTab(id);
    setNotice(null);
    history.replaceState(null, '', `#${id}`);
  };
  const ctx: Ctx = {
    api: props.api,
    me: props.me,
    rules,
    changed: (message) => {
      setNotice(message);
      setVersion((v) => v + 1);
    },
  };
  const countOf = (id: Tab): number | null => (counts && id in counts ? counts[id as keyof QueueCounts] : null);

  return (
    <>
      <header class="top">
        <h1>Lantern moderation</h1>
        <div class="who">
          Signed in as <strong data-field="pseudonym">{props.me.pseudonym}</strong> ({props.me.role})
          {reference && <span class="muted-light"> · account reference {reference.slice(0, 12)}…</span>}{' '}
          <button type="button" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        <div role="tablist" aria-label="Moderation queues">
          {TABS.map(([id, label], index) => {
            const n = countOf(id);
            return (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                data-tab={id}
                aria-selected={tab === id}
                aria-controls={`panel-${id}`}
                tabIndex={tab === id ? 0 : -1}
                ref={(el) => {
                  tabRefs.current[id] = el;
                }}
                onClick={() => select(id)}
                onKeyDown={(event) => {
                  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
                  if (!step) return;
                  event.preventDefault();
                  const next = TABS[(index + step + TABS.length) % TABS.length]![0];
                  select(next);
                  tabRefs.current[next]?.focus();
                }}
              >
                {label}
                {n !== null && (
                  <span class="count" aria-label={`${n} waiting`}>
                    {n.toLocaleString('en')}
                  </span>
                )}
              </button>
            );
          })}
        </div>
        {notice && (
          <p class="status ok" role="status">
            {notice}
          </p>
        )}
        <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} data-panel={tab}>
          {tab === 'incidents' && <IncidentsView ctx={ctx} version={version} />}
          {tab === 'flagged' && <FlaggedQueue ctx={ctx} version={version} />}
          {tab === 'held' && <HeldQueue ctx={ctx} version={version} status="held" />}
          {tab === 'hidden' && <HeldQueue ctx={ctx} version={version} status="hidden" />}
          {tab === 'suspensions' && <SuspensionQueue ctx={ctx} version={version} />}
          {tab === 'correlation' && <CorrelationView ctx={ctx} version={version} />}
          {tab === 'issues' && <IssueQueue ctx={ctx} version={version} />}
          {tab === 'audit' && <AuditLog ctx={ctx} version={version} />}
          {tab === 'rules' && <RulesEditor ctx={ctx} version={version} />}
          {tab === 'merge' && <MergeTool ctx={ctx} />}
        </section>
      </main>
    </>
  );
}

// ------------------------------------------------------------------ shared pieces

/** "1 counted review", "2 counted reviews": the page is in English, by English plural rules (issue 12). */
const englishPlurals = new Intl.PluralRules('en');
function counted(n: number, one: string, other: string): string {
  return `${n} ${englishPlurals.select(n) === 'one' ? one : other}`;
}

function SummaryLine(props: { summary: RequesterSummary | null; rules: Rules }) {
  if (!props.summary) return <span class="muted small">No summary yet</span>;
  const s = props.summary;
  const { level } = assess(s, DEFAULT_THRESHOLDS, props.rules);
  const hourly = s.allTime.hourly;
  return (
    <span class="small" data-field="summary">
      <span class={`level-${level}`}>{level}</span> · {counted(s.allTime.reviews, 'counted review', 'counted reviews')}
      {s.held > 0 && ` · ${s.held} held`}
      {hourly && ` · ${(hourly.centsPerHour / 100).toFixed(2)} ${hourly.currency}/h from ${counted(hourly.tasks, 'task', 'tasks')}`}
      {` · suspension reports from ${counted(s.suspensions.accounts, 'established account', 'established accounts')}`}
      {s.suspensions.confirmed && ' (link confirmed)'}
      {s.phishingConfirmed && ' · phishing confirmed'}
    </span>
  );
}

function MuteBan(props: { ctx: Ctx; target: AccountTarget; who: string }) {
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
        run={(reason, values) => ctx.api<ActionResult>('POST', '/accounts/mute', { target, days: Number(values.days ?? '7'), reason })}
        done={() => ctx.changed(`Muted ${props.who}.`)}
      />
      <Action
        label={`Ban ${props.who}`}
        danger
        disabled={!admin}
        title={admin ? undefined : 'Only admins can ban'}
        run={(reason) => ctx.api<ActionResult>('POST', '/accounts/ban', { target, reason })}
        done={() => ctx.changed(`Banned ${props.who}.`)}
      />
    </>
  );
}

function ReviewBody(props: { item: FlaggedItem; rules: Rules }) {
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
        {(review.reward.cents / 100).toFixed(2)} {review.reward.currency} · {review.minutes ?? '?'} min · {review.outcome} · {ratings}
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

// ------------------------------------------------------------------ queues

function FlaggedQueue(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [reason, setReason] = useState('');
  const [requester, setRequester] = useState('');
  const { data, error, loading } = useLoad<Page<FlaggedItem>>(ctx, `/queues/flagged${query({ page, perPage: PER_PAGE, reason, requester })}`, props.version);
  return (
    <>
      <h2>Flagged reviews</h2>
      <p class="muted small">Visible reviews that workers flagged, most distinct flaggers first. Hiding removes a review from every summary at once.</p>
      <div class="filters">
        <label>
          Flag reason
          <select value={reason} onChange={(e) => (setReason(e.currentTarget.value), setPage(1))}>
            <option value="">any</option>
            {REVIEW_FLAG_REASONS.map((r) => (
              <option key={r} value={r}>
                {r.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          <Pager page={data} onPage={setPage} label="Flagged reviews" />
          {data.items.length === 0 && <p class="muted">Nothing flagged. The queue is empty.</p>}
          <ul class="items">
            {data.items.map((item) => (
              <li key={item.review.id} data-review={item.review.id}>
                <ReviewBody item={item} rules={ctx.rules} />
                <div class="actions">
                  <Action
                    label="Hide review"
                    danger
                    run={(r) => ctx.api('POST', `/reviews/${item.review.id}/hide`, { reason: r })}
                    done={() => ctx.changed('Review hidden; its author sees the reason.')}
                  />
                  <Action label="Dismiss flags" run={(r) => ctx.api('POST', `/reviews/${item.review.id}/dismiss-flags`, { reason: r })} done={() => ctx.changed('Flags dismissed.')} />
                  <MuteBan ctx={ctx} target={{ kind: 'review', id: item.review.id }} who="author" />
                </div>
              </li>
            ))}
          </ul>
          {data.items.length > 5 && <Pager page={data} onPage={setPage} label="Flagged reviews (bottom)" />}
        </>
      )}
    </>
  );
}

function RequesterFilter(props: { value: string; onChange(value: string): void }) {
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

function HeldQueue(props: { ctx: Ctx; version: number; status: 'held' | 'hidden' }) {
  const { ctx, status } = props;
  const [page, setPage] = useState(1);
  const [reason, setReason] = useState('');
  const [requester, setRequester] = useState('');
  const path = `/queues/${status}${query({ page, perPage: PER_PAGE, reason: status === 'held' ? reason : '', requester })}`;
  const { data, error, loading } = useLoad<Page<HeldItem>>(ctx, path, props.version);
  return (
    <>
      <h2>{status === 'held' ? 'Held reviews' : 'Hidden reviews'}</h2>
      <p class="muted small">
        {status === 'held'
          ? 'Held reviews count nowhere until released: brigade holds (several new accounts within a day) and three-flag holds.'
          : 'Reviews a moderator hid. Their authors see the reason. Restore one if the hide was a mistake.'}
      </p>
      <div class="filters">
        {status === 'held' && (
          <label>
            Held because
            <select value={reason} onChange={(e) => (setReason(e.currentTarget.value), setPage(1))}>
              <option value="">any</option>
              <option value="brigade">brigade</option>
              <option value="flags">three flags</option>
            </select>
          </label>
        )}
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          <Pager page={data} onPage={setPage} label={status} />
          {data.items.length === 0 && <p class="muted">Nothing here.</p>}
          <ul class="items">
            {data.items.map((item) => (
              <li key={item.review.id} data-review={item.review.id}>
                <p class="small">
                  <span class="tag">{status === 'held' ? `held: ${item.heldReason}` : `hidden: ${item.heldReason}`}</span>
                </p>
                <ReviewBody item={item} rules={ctx.rules} />
                <div class="actions">
                  <Action
                    label={status === 'held' ? 'Release review' : 'Restore review'}
                    run={(r) => ctx.api('POST', `/reviews/${item.review.id}/restore`, { reason: r })}
                    done={() => ctx.changed(status === 'held' ? 'Review released.' : 'Review restored.')}
                  />
                  {status === 'held' && (
                    <>
                      <Action label="Hide review" danger run={(r) => ctx.api('POST', `/reviews/${item.review.id}/hide`, { reason: r })} done={() => ctx.changed('Review hidden.')} />
                      <Action
                        label={`Release all held for ${item.requester.name || item.requester.key}`}
                        run={(r) => ctx.api('POST', '/held/release', { requester: item.requester.key, reason: r })}
                        done={() => ctx.changed('Held reviews released.')}
                      />
                    </>
                  )}
                  <MuteBan ctx={ctx} target={{ kind: 'review', id: item.review.id }} who="author" />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function SuspensionQueue(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState('open');
  const [requester, setRequester] = useState('');
  const { data, error, loading } = useLoad<Page<SuspensionGroup>>(ctx, `/queues/suspensions${query({ page, perPage: PER_PAGE, status, requester })}`, props.version);
  return (
    <>
      <h2>Suspension reports by requester</h2>
      <p class="muted small">
        Confirming a link turns the requester to “danger — linked to suspensions” for every worker at their next sync. Dismissing stops its reports from counting.
      </p>
      <div class="filters">
        <label>
          Reports
          <select value={status} onChange={(e) => (setStatus(e.currentTarget.value), setPage(1))}>
            <option value="open">open</option>
            <option value="confirmed">confirmed</option>
            <option value="dismissed">dismissed</option>
          </select>
        </label>
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          <Pager page={data} onPage={setPage} label="Suspension reports" />
          {data.items.length === 0 && <p class="muted">No requesters with {status} reports.</p>}
          <ul class="items">
            {data.items.map((group) => (
              <li key={group.requester.key} data-requester={group.requester.key}>
                <h3>
                  {group.requester.name || group.requester.key} <span class="muted small mono">{group.requester.key}</span>
                </h3>
                <p>
                  <SummaryLine summary={group.summary} rules={ctx.rules} />
                </p>
                <p class="small">
                  <strong>{group.reports}</strong> reports ({group.open} open), latest {group.latestAt.slice(0, 10)}
                  {group.confirmed && <span class="level-danger"> · link confirmed</span>}
                </p>
                {group.topTasks.length > 0 && (
                  <p class="small">
                    Tasks named:{' '}
                    {group.topTasks.map((t) => (
                      <span key={t.taskId} class="tag">
                        {t.taskTitle || t.taskId} ({t.reports})
                      </span>
                    ))}
                  </p>
                )}
                <Reports ctx={ctx} requester={group.requester.key} version={props.version} />
                <div class="actions">
                  <Action
                    label="Confirm suspension link"
                    danger
                    run={(r) => ctx.api('POST', `/requesters/${encodeURIComponent(group.requester.key)}/suspension`, { decision: 'confirm', reason: r })}
                    done={() => ctx.changed('Suspension link confirmed; the requester now shows as danger.')}
                  />
                  <Action
                    label="Dismiss suspension reports"
                    run={(r) => ctx.api('POST', `/requesters/${encodeURIComponent(group.requester.key)}/suspension`, { decision: 'dismiss', reason: r })}
                    done={() => ctx.changed('Suspension reports dismissed.')}
                  />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Reports(props: { ctx: Ctx; requester: string; version: number }) {
  const [open, setOpen] = useState(false);
  const [reports, setReports] = useState<ReportView[] | null>(null);
  useEffect(() => {
    if (!open) return;
    void props.ctx.api<{ reports: ReportView[] }>('GET', `/requesters/${encodeURIComponent(props.requester)}/reports`).then((r) => setReports(r.reports));
  }, [open, props.version]);
  return (
    <div>
      <button type="button" class="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide reports' : 'Show reports'}
      </button>
      {open && reports && (
        <table class="small">
          <caption class="muted">Reports (notes are for moderators only)</caption>
          <thead>
            <tr>
              <th scope="col">Reported</th>
              <th scope="col">Suspended on</th>
              <th scope="col">Counts</th>
              <th scope="col">Tasks</th>
              <th scope="col">Note</th>
              <th scope="col">Status</th>
              <th scope="col">Author</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td>{r.reportedAt.slice(0, 10)}</td>
                <td>
                  {r.suspendedOn}
                  {r.reinstated && ' (reinstated)'}
                </td>
                <td>{r.established ? 'yes' : 'no (new or muted account)'}</td>
                <td>{r.tasks.map((t) => t.taskTitle || t.taskId).join(', ') || '—'}</td>
                <td>{r.note || '—'}</td>
                <td>{r.status}</td>
                <td>
                  <MuteBan ctx={props.ctx} target={{ kind: 'suspension_report', id: r.id }} who="reporter" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function IssueQueue(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState('open');
  const [reason, setReason] = useState('');
  const [requester, setRequester] = useState('');
  const { data, error, loading } = useLoad<Page<IssueGroup>>(ctx, `/queues/issues${query({ page, perPage: PER_PAGE, status, reason, requester })}`, props.version);
  return (
    <>
      <h2>Requester issue flags</h2>
      <p class="muted small">Phishing, personal data requests, broken tasks and unpaid screeners. Confirming makes the requester “danger — phishing / personal data”.</p>
      <div class="filters">
        <label>
          Flags
          <select value={status} onChange={(e) => (setStatus(e.currentTarget.value), setPage(1))}>
            <option value="open">open</option>
            <option value="confirmed">confirmed</option>
            <option value="dismissed">dismissed</option>
          </select>
        </label>
        <label>
          Reason
          <select value={reason} onChange={(e) => (setReason(e.currentTarget.value), setPage(1))}>
            <option value="">any</option>
            {REQUESTER_FLAG_REASONS.map((r) => (
              <option key={r} value={r}>
                {r.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          <Pager page={data} onPage={setPage} label="Issue flags" />
          {data.items.length === 0 && <p class="muted">No requesters with {status} issue flags.</p>}
          <ul class="items">
            {data.items.map((group) => (
              <li key={group.requester.key} data-requester={group.requester.key}>
                <h3>
                  {group.requester.name || group.requester.key} <span class="muted small mono">{group.requester.key}</span>
                </h3>
                <p>
                  <SummaryLine summary={group.summary} rules={ctx.rules} />
                </p>
                <p class="small">
                  {Object.entries(group.counts).map(([r, n]) => (
                    <span key={r} class="tag">
                      {r.replace(/_/g, ' ')} ×{n}
                    </span>
                  ))}{' '}
                  {group.open} open, latest {group.latestAt.slice(0, 10)}
                  {group.confirmed && <span class="level-danger"> · danger confirmed</span>}
                </p>
                <ul class="small">
                  {group.flags.slice(0, 5).map((f) => (
                    <li key={f.id}>
                      {f.createdAt.slice(0, 10)} · {f.reason.replace(/_/g, ' ')} {f.taskId && `· task ${f.taskId}`} · {f.status}
                      {f.note && ` — “${f.note}”`}
                    </li>
                  ))}
                </ul>
                <div class="actions">
                  <Action
                    label="Confirm phishing / personal data danger"
                    danger
                    run={(r) => ctx.api('POST', `/requesters/${encodeURIComponent(group.requester.key)}/issues`, { decision: 'confirm', reason: r })}
                    done={() => ctx.changed('Danger confirmed.')}
                  />
                  <Action
                    label="Dismiss issue flags"
                    run={(r) => ctx.api('POST', `/requesters/${encodeURIComponent(group.requester.key)}/issues`, { decision: 'dismiss', reason: r })}
                    done={() => ctx.changed('Issue flags dismissed.')}
                  />
                  {group.flags[0] && <MuteBan ctx={ctx} target={{ kind: 'requester_flag', id: group.flags[0].id }} who="latest flagger" />}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

// ------------------------------------------------------------------ audit log, rules, merge

function AuditLog(props: { ctx: Ctx; version: number }) {
  const [page, setPage] = useState(1);
  const [action, setAction] = useState('');
  const [moderator, setModerator] = useState('');
  const [target, setTarget] = useState('');
  const [applied, setApplied] = useState({ moderator: '', target: '' });
  const { data, error, loading } = useLoad<Page<AuditEntry>>(
    props.ctx,
    `/audit${query({ page, perPage: PER_PAGE, action, moderator: applied.moderator, target: applied.target })}`,
    props.version,
  );
  return (
    <>
      <h2>Audit log</h2>
      <p class="muted small">Every moderation action and role change: who (moderator pseudonym), what, on what, why and when. Newest first.</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ moderator: moderator.trim(), target: target.trim() });
          setPage(1);
        }}
      >
        <label>
          Action
          <select value={action} onChange={(e) => (setAction(e.currentTarget.value), setPage(1))}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Moderator
          <input type="search" value={moderator} onInput={(e) => setModerator(e.currentTarget.value)} />
        </label>
        <label>
          Target
          <input type="search" placeholder="review:… or requester:…" value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          <Pager page={data} onPage={setPage} label="Audit log" />
          <table>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Moderator</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((entry) => (
                <tr key={entry.id} data-audit={entry.action}>
                  <td class="small">{entry.at.replace('T', ' ').slice(0, 19)}</td>
                  <td>{entry.moderator}</td>
                  <td>{entry.action.replace(/_/g, ' ')}</td>
                  <td class="mono">{entry.target}</td>
                  <td>{entry.reason}</td>
                  <td class="small mono">
                    {Object.entries(entry.detail)
                      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

function RulesEditor(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const { data } = useLoad<{ current: Rules; versions: RulesVersionInfo[] }>(ctx, '/rules', props.version);
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
          run={(reason) => ctx.api<{ version: number }>('POST', '/rules', { rules: parsed, reason })}
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
              onClick={() => void ctx.api<Rules>('GET', `/rules/${v.version}`).then((r) => setViewing({ version: v.version, text: JSON.stringify(r, null, 2) }))}
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

function MergeTool(props: { ctx: Ctx }) {
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
        run={(reason) => props.ctx.api('POST', '/requesters/merge', { from: from.trim(), into: into.trim(), reason })}
        done={() => props.ctx.changed(`Merged ${from} into ${into}.`)}
      />
    </>
  );
}

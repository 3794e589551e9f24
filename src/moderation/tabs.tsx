/**
 * The signed-in page: who is signed in, one tab per queue (with counts) — incidents
 * first — and the panel of the selected tab. Each queue lives in queues/, the rules
 * editor and the merge tool in tools/.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Me, QueueCounts } from '../core/moderation-protocol.js';
import { DEFAULT_RULES, type Rules } from '../core/rules.js';
import { accountReference } from './api.js';
import { AuditLog } from './queues/audit.js';
import { CorrelationView } from './queues/correlation.js';
import { FlaggedQueue } from './queues/flagged.js';
import { HeldQueue } from './queues/held.js';
import { IncidentsView } from './queues/incidents.js';
import { IssueQueue } from './queues/issues.js';
import { SuspensionQueue } from './queues/suspensions.js';
import type { Api, Ctx } from './shared.js';
import { MergeTool } from './tools/merge.js';
import { RulesEditor } from './tools/rules.js';
import { count } from './words.js';

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


export function Moderation(props: { me: Me; api: Api; secret: string; onSignOut(): void }) {
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
    void props.api('counts').then(setCounts, () => undefined);
    void props.api('rules').then((r) => setRules(r.current), () => undefined);
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
                    {count(n)}
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

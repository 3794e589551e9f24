/**
 * "How Lantern decides": every level, count and hidden review explained from the rules
 * in force (the server's published version once synced, version 1's built-in values
 * before), so the numbers a worker reads here are the numbers Lantern applies. Nothing
 * here is typed in twice: each sentence takes its numbers from the `Rules` object.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../core/extension-state.js';
import type { Currency, Rules } from '../core/rules.js';
import { errorText, send } from '../ui/components/send.js';
import { formatAmount, formatMoney, formatShare } from '../ui/format.js';
import { t, tPlural } from '../ui/i18n.js';
import { ISSUE_ORDER, levelWord, tagLabel, tagMeaning } from '../ui/labels.js';
import { LevelIcon } from '../ui/level-icon.js';

interface Loaded {
  rules: Rules;
  fromServer: boolean;
  settings: Settings;
}

const days = (n: number) => tPlural('rulesPageDays', n);
const accounts = (n: number) => tPlural('rulesPageAccounts', n);
/** Any accounts, established or not (flags, brigading). */
const anyAccounts = (n: number) => tPlural('rulesPageAnyAccounts', n);

function Section(props: { id: string; title: string; level?: 'danger' | 'caution' | 'ok' | 'unknown'; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${props.id}-h`} data-rule={props.id}>
      <h2 id={`${props.id}-h`}>
        {props.level && (
          <span class={`level ${props.level}`}>
            <LevelIcon level={props.level} />
          </span>
        )}{' '}
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

/** "$7.25 per hour (USD), £6.00 per hour (GBP)", or "none set". */
function payThresholds(settings: Settings): string {
  const entries = Object.entries(settings.thresholds.minHourlyCents) as [Currency, number][];
  if (entries.length === 0) return t('rulesPageNoPayThreshold');
  return entries.map(([currency, cents]) => t('rulesPagePayPerHour', [formatMoney(cents, currency), currency])).join(', ');
}

export function RulesPage() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([send('ui/rules', {}), send('ui/settings-get', {})]).then(
      ([{ rules, fromServer }, settings]) => setLoaded({ rules, fromServer, settings }),
      (e) => setError(errorText(e)),
    );
  }, []);

  return (
    <main>
      <h1>
        <img src="icons/icon-32.png" width={24} height={24} alt="" /> {t('rulesPageTitle')}
      </h1>
      {error && (
        <p class="notice error-box" role="alert">
          {t('rulesPageUnavailable', error)}
        </p>
      )}
      {!loaded && !error && <p class="muted">{t('loading')}</p>}
      {loaded && <RulesText {...loaded} />}
    </main>
  );
}

function RulesText({ rules, fromServer, settings }: Loaded) {
  const { danger, caution, moderation, incidents } = rules;
  const minRating = settings.thresholds.minRating;
  const reviews = rules.reviews;
  return (
    <>
      <p data-field="rules-version">{fromServer ? t('rulesPageVersionServer', String(rules.version)) : t('rulesPageVersionBuiltIn', String(rules.version))}</p>
      <p class="muted">{t('rulesPageIntro')}</p>

      <Section id="danger" title={levelWord('danger')} level="danger">
        <ul>
          <li data-field="danger-suspensions">{t('rulesPageDangerSuspensions', [accounts(danger.suspensionAccounts), days(danger.suspensionWindowDays)])}</li>
          <li data-field="danger-phishing">{t('rulesPageDangerPhishing', accounts(danger.phishingAccounts))}</li>
        </ul>
      </Section>

      <Section id="caution" title={levelWord('caution')} level="caution">
        <ul>
          <li data-field="caution-pay">{t('rulesPageCautionPay', payThresholds(settings))}</li>
          <li data-field="caution-rejections">{t('rulesPageCautionRejections', formatShare(caution.rejectionShare))}</li>
          <li>{minRating === null ? t('rulesPageCautionNoRating') : t('rulesPageCautionRating', String(minRating))}</li>
          <li>{t('rulesPageCautionReports')}</li>
        </ul>
        <p data-field="min-sample">{t('rulesPageMinSample', tPlural('rulesPageDataPoints', caution.minSample))}</p>
        <p>
          <a href="options.html#thresholds">{t('rulesPageChangeThresholds')}</a>
        </p>
      </Section>

      <Section id="ok" title={levelWord('ok')} level="ok">
        <p>{t('rulesPageOk')}</p>
      </Section>

      <Section id="unknown" title={levelWord('unknown')} level="unknown">
        <p>{t('rulesPageUnknown')}</p>
      </Section>

      <Section id="ratings" title={t('rulesPageRatingsTitle')}>
        <p data-field="shrinkage">{t('rulesPageShrinkage', [String(rules.shrinkage.prior), tPlural('rulesPageReviews', rules.shrinkage.weight)])}</p>
        <p data-field="too-few">{t('rulesPageTooFew', tPlural('rulesPageReviews', rules.tooFewBelow))}</p>
        <p data-field="recent">{t('rulesPageRecent', days(rules.recentDays))}</p>
        {reviews && <p data-field="review-minimum">{t('rulesPageReviewMinimum', String(reviews.minTextLength))}</p>}
        {reviews && (
          <p data-field="review-confirm">
            {t('rulesPageReviewConfirm', [formatAmount(reviews.confirmHourlyAboveCents), formatAmount(reviews.confirmHourlyBelowCents)])}
          </p>
        )}
      </Section>

      <Section id="hidden" title={t('rulesPageHiddenTitle')}>
        <ul>
          <li>{t('rulesPageHiddenModerator')}</li>
          <li data-field="flags-to-hold">{t('rulesPageHiddenFlags', anyAccounts(moderation.flagsToHold))}</li>
          <li data-field="brigade">
            {t('rulesPageHiddenBrigade', [anyAccounts(moderation.brigade.accounts), days(moderation.brigade.youngAccountDays), tPlural('rulesPageHours', moderation.brigade.windowHours)])}
          </li>
        </ul>
        <p class="muted">{t('rulesPageHiddenNote')}</p>
      </Section>

      <Section id="established" title={t('rulesPageEstablishedTitle')}>
        <p data-field="established">{t('rulesPageEstablished', days(danger.establishedAfterDays))}</p>
      </Section>

      <Section id="issues" title={t('rulesPageIssuesTitle')}>
        <p>{t('rulesPageIssuesIntro')}</p>
        <dl class="stats">
          {ISSUE_ORDER.map((tag) => [<dt key={`${tag}-t`}>{tagLabel(tag)}</dt>, <dd key={`${tag}-d`}>{tagMeaning(tag)}</dd>])}
        </dl>
      </Section>

      <Section id="incidents" title={t('rulesPageIncidentsTitle')}>
        <ul>
          <li data-field="incident-window">{t('rulesPageIncidentWindow', days(incidents.windowDays))}</li>
          <li data-field="incident-open">{t('rulesPageIncidentOpen', accounts(incidents.openAccounts))}</li>
          <li data-field="incident-investigate">{t('rulesPageIncidentInvestigate', accounts(incidents.investigateAccounts))}</li>
          <li>{t('rulesPageIncidentRate', [String(incidents.rateFactor), days(incidents.baselineDays), accounts(incidents.rateMinAccounts)])}</li>
          <li data-field="incident-notes">{t('rulesPageIncidentNotes', days(incidents.noteRetentionDays))}</li>
        </ul>
      </Section>
    </>
  );
}

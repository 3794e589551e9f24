/**
 * The card's issue counts (broken, unpaid screener, personal data, phishing), each with
 * its meaning in words, and the way to the "How Lantern decides" page. The rules page is
 * an extension page, which a web page can't link to: the background opens it.
 */
import type { RequesterSummary } from '../../core/summary.js';
import { ext } from '../../ui/extension-api.js';
import { t, tPlural } from '../../ui/i18n.js';
import { ISSUE_ORDER, tagLabel, tagMeaning } from '../../ui/labels.js';

/** Fire and forget: the page opens in a tab of its own; a failure leaves the card as it is. */
const openRules = () => void ext.runtime.sendMessage({ type: 'content/open-rules', payload: {} }).catch(() => undefined);

export function CardIssues({ summary }: { summary: RequesterSummary | null }) {
  const reported = summary ? ISSUE_ORDER.filter((issue) => summary.issues[issue] > 0) : [];
  return (
    <>
      {summary && reported.length > 0 && (
        <>
          <h3>{t('rulesPageCardIssuesTitle')}</h3>
          <ul class="reasons" data-list="issues">
            {reported.map((issue) => (
              <li key={issue} data-issue={issue}>
                <strong>{tagLabel(issue)}</strong>
                {`: ${tPlural('rulesPageCardIssueAccounts', summary.issues[issue])}`}
                <span class="sub">{tagMeaning(issue)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <button type="button" class="link" data-action="open-rules" onClick={openRules}>
          {t('rulesPageTitle')}
        </button>
      </p>
    </>
  );
}

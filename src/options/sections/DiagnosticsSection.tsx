/** What went wrong reading task pages, counted by platform, page and problem (no page content). */
import { useEffect, useId, useState } from 'preact/hooks';
import { errorText, send } from '../../ui/components/send.js';
import { t } from '../../ui/i18n.js';
import { PLATFORMS, type PlatformId } from '../../core/platforms.js';

/** A platform by its own name (the platform table); other places counted (storage) by their words. */
function placeName(place: string): string {
  if (Object.hasOwn(PLATFORMS, place)) return PLATFORMS[place as PlatformId].name;
  const words = t(`platform_${place}`);
  return words === `platform_${place}` ? place : words;
}

export function DiagnosticsSection({ refreshKey }: { refreshKey: number }) {
  const id = useId();
  const [counts, setCounts] = useState<Record<string, number> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    send('ui/diagnostics', {}).then(
      (d) => {
        setCounts(d.counts);
        setError(null);
      },
      (e) => setError(errorText(e)),
    );
  useEffect(() => void load(), [refreshKey]);
  const rows = Object.entries(counts ?? {}).map(([key, count]) => {
    const [platform = '', page = '', problem = ''] = key.split('/');
    return { key, platform, page, problem, count };
  });
  return (
    <section aria-labelledby={`${id}-h`} data-section="diagnostics">
      <h2 id={`${id}-h`}>{t('diagnosticsTitle')}</h2>
      <p class="muted small">{t('diagnosticsExplain')}</p>
      {error && <p class="error">{error}</p>}
      {counts && rows.length === 0 && <p class="muted small">{t('diagnosticsNone')}</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('diagPlatform')}</th>
              <th scope="col">{t('diagPage')}</th>
              <th scope="col">{t('diagProblem')}</th>
              <th scope="col">{t('diagCount')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-diagnostic={row.key}>
                <td>{placeName(row.platform)}</td>
                <td>{row.page}</td>
                <td>{t(`problem_${row.problem}`) === `problem_${row.problem}` ? row.problem : t(`problem_${row.problem}`)}</td>
                <td>{String(row.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
    </section>
  );
}

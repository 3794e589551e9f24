/**
 * Sync status, shared by the popup and the options page: state in words, last and next
 * sync, rows in the local copy, the last error, first-snapshot progress, "Sync now".
 */
import { useId, useState } from 'preact/hooks';
import type { Status } from '../../core/messages-ui.js';
import { t, tPlural } from '../i18n.js';
import { StatusLine } from './fields.js';
import { formatCount, formatDateTime, formatRelative } from '../format.js';
import { errorText, send } from './send.js';

const STATE_KEYS = { never: 'syncStateNever', idle: 'syncStateIdle', syncing: 'syncStateSyncing', error: 'syncStateError' } as const;

export function SyncStatusView(props: { status: Status | null; error: string | null; onStatus: (status: Status) => void; onOpenOptions?: () => void }) {
  const progressId = useId();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const { status } = props;

  async function syncNow() {
    setBusy(true);
    setActionError(null);
    try {
      props.onStatus(await send('ui/sync-now', {}));
    } catch (error) {
      setActionError(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  if (!status) {
    return (
      <div data-view="sync-status">
        {props.error ? <StatusLine message={t('statusUnavailable', props.error)} kind="error" /> : <p class="muted">{t('loading')}</p>}
      </div>
    );
  }
  const sync = status.sync;
  const progress = sync.snapshotProgress;
  return (
    <div data-view="sync-status" data-state={sync.state}>
      {status.serverUrl === null && (
        <p class="notice warn">
          {t('noServerNotice')}{' '}
          {props.onOpenOptions && (
            <button type="button" class="link" onClick={props.onOpenOptions}>
              {t('openOptions')}
            </button>
          )}
        </p>
      )}
      {status.serverUrl !== null && !status.hasAccount && <p class="notice">{t('noAccountNotice')}</p>}
      <p role="status" aria-live="polite">
        <span class="label">{t('syncStateLabel')}: </span>
        <span data-field="sync-state">{t(STATE_KEYS[sync.state])}</span>
      </p>
      {progress && (
        <div class="field">
          <label for={progressId}>
            {tPlural('pluralSnapshotProgress', progress.total, [formatCount(progress.done)])}
          </label>
          <progress id={progressId} value={progress.done} max={Math.max(progress.total, 1)} />
        </div>
      )}
      <dl class="stats small">
        <dt>{t('lastSync')}</dt>
        <dd title={sync.lastSyncAt ? formatDateTime(sync.lastSyncAt) : undefined}>{sync.lastSyncAt ? formatRelative(sync.lastSyncAt) : t('never')}</dd>
        <dt>{t('replicaRows')}</dt>
        <dd data-field="rows">{formatCount(sync.rows)}</dd>
        <dt>{t('nextSync')}</dt>
        <dd>{sync.nextSyncAt ? formatRelative(sync.nextSyncAt) : t('notScheduled')}</dd>
        {status.serverUrl && (
          <>
            <dt>{t('server')}</dt>
            <dd>{status.serverUrl}</dd>
          </>
        )}
      </dl>
      {sync.lastError && (
        <p class="notice error-box" data-field="sync-error">
          {t('lastSyncError', errorText(new Error(sync.lastError)))}
        </p>
      )}
      {props.error && <StatusLine message={t('statusUnavailable', props.error)} kind="error" />}
      <div class="actions">
        <button type="button" onClick={() => void syncNow()} disabled={busy || status.serverUrl === null}>
          {busy ? t('syncing') : t('syncNow')}
        </button>
      </div>
      {actionError && <StatusLine message={actionError} kind="error" />}
    </div>
  );
}

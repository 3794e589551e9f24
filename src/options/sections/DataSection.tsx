/** Clearing everything the extension keeps on this device, after asking. */
import { useId, useState } from 'preact/hooks';
import { ConfirmButton, StatusLine } from '../../ui/components/fields.js';
import { send } from '../../ui/components/send.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';

export function DataSection({ onCleared }: { onCleared: () => void }) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const save = useSaveStatus();
  const clear = () =>
    save.run(async () => {
      await send('ui/clear-local-data', {});
      onCleared();
      return t('localDataCleared');
    });
  return (
    <section aria-labelledby={`${id}-h`} data-section="data">
      <h2 id={`${id}-h`}>{t('dataTitle')}</h2>
      <p class="muted small">{t('dataExplain')}</p>
      <ConfirmButton
        label={t('clearLocalData')}
        question={t('clearLocalDataQuestion')}
        confirmLabel={t('clearLocalDataConfirm')}
        confirming={confirming}
        setConfirming={setConfirming}
        onConfirm={() => void clear()}
      />
      <StatusLine {...save.line} />
    </section>
  );
}

/** Which platforms Lantern reads: each can be switched off (one switch per platform in core/platforms.ts). */
import { useId } from 'preact/hooks';
import { PLATFORM_IDS, PLATFORMS, type PlatformId } from '../../core/platforms.js';
import { StatusLine } from '../../ui/components/fields.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';
import type { SettingsProps } from './types.js';

export function PlatformsSection({ settings, update }: SettingsProps) {
  const id = useId();
  const save = useSaveStatus();
  const toggle = (platform: PlatformId, on: boolean) => save.run(update({ platforms: { ...settings.platforms, [platform]: on } }).then(() => t('saved')));
  return (
    <section aria-labelledby={`${id}-h`} data-section="platforms">
      <h2 id={`${id}-h`}>{t('platformsTitle')}</h2>
      {PLATFORM_IDS.map((platform) => (
        <div key={platform}>
          <label class="choice">
            <input type="checkbox" name={`platform-${platform}`} checked={settings.platforms[platform]} onChange={(e) => void toggle(platform, e.currentTarget.checked)} />{' '}
            {PLATFORMS[platform].name}
          </label>
        </div>
      ))}
      <StatusLine {...save.line} />
    </section>
  );
}

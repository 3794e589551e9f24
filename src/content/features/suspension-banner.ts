/**
 * A banner, impossible to miss, on every task row and task page of a requester linked to
 * account suspensions: how many workers reported it, since when, confirmed or not.
 */
import type { LookupResult } from '../../core/messages.js';
import { t, tPlural } from '../../ui/i18n.js';
import { levelIconSvg } from '../../ui/level-icon-svg.js';
import { HostSlots } from './host-slots.js';
import type { ContentFeature } from './types.js';

const CSS = `
:host { all: initial; display: block; margin: 4px 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.banner { display: flex; gap: 8px; align-items: flex-start; padding: 6px 10px; border-radius: 4px;
  background: #7f1d1d; color: #fff; border-left: 6px solid #fca5a5; }
.banner strong { font-weight: 700; }
svg { flex: none; margin-top: 2px; }
`;

const slots = new HostSlots('lantern-banner', CSS);

/** The words of the banner, or null when the requester is not linked to suspensions. */
function suspensionText(result: LookupResult): string | null {
  const s = result.summary?.suspensions;
  if (!s || (s.accounts === 0 && !s.confirmed)) return null;
  const reported = s.accounts > 0 ? tPlural('pluralBannerReported', s.accounts, [s.since ?? '—']) : '';
  const status = s.confirmed ? t('bannerConfirmed') : t('bannerUnconfirmed');
  return `${reported} ${status}`.trim();
}

/** The banner's DOM; the name and the counts go in as text, never as HTML. */
function renderBanner(mount: ShadowRoot | HTMLElement, name: string, text: string): void {
  const doc = mount.ownerDocument;
  const banner = doc.createElement('div');
  banner.className = 'banner';
  banner.setAttribute('role', 'alert');
  const words = doc.createElement('span');
  const title = doc.createElement('strong');
  title.textContent = t('bannerTitle', name);
  words.append(title, ` ${text}`);
  banner.append(levelIconSvg(doc, 'danger', 14), words);
  mount.replaceChildren(banner);
}

export const suspensionBanner: ContentFeature = {
  name: 'suspension-banner',

  apply({ doc, spots, results }) {
    slots.begin();
    for (const spot of spots) {
      const result = results.get(spot.key);
      const text = result ? suspensionText(result) : null;
      if (!text) continue;
      const host = slots.ensure(spot.row, spot.row, 'beforeend');
      host.element.dataset.lanternRequester = spot.key;
      const shown = `${spot.name}\u0000${text}`;
      if (host.shown === shown) continue;
      host.shown = shown;
      renderBanner(host.mount, spot.name, text);
    }
    slots.sweep(doc);
  },

  clear(doc) {
    slots.clear(doc);
  },
};

/**
 * The requester badge: compact, and says its level in words and an icon, not colour
 * alone. It opens the detail card on click, keyboard focus, or hover.
 *
 * Badges are drawn by hundreds in the task that adds rows, so they are cloned from one
 * template per level instead of rendered by Preact (a third of the cost). All text
 * (requester names from the page, reasons from the replica) goes in through
 * `textContent` and `setAttribute` — never as HTML.
 */
import type { BadgeBrief } from '../core/badge-brief.js';
import type { LookupResult } from '../core/messages.js';
import { isKeyedByName, type RequesterKey } from '../core/requester-key.js';
import type { Level } from '../core/schemas.js';
import { formatMoney } from '../ui/format.js';
import { t, tPlural } from '../ui/i18n.js';
import { levelIconSvg } from '../ui/level-icon-svg.js';
import { levelLabel } from '../ui/labels.js';
import { describeReason } from '../ui/reasons.js';

/** The badge's words: a pure function of the brief, so index and full answer agree. */
function badgeText(brief: BadgeBrief): string {
  if (brief.blocked) return t('badgeBlocked');
  if (brief.level === 'danger') return brief.phishing ? t('badgeDangerPhishing') : t('badgeDangerSuspensions');
  // Too few reviews for a level: neutral, and says how few ("1 review"); the card says the rest.
  if (brief.level === 'unknown') return brief.sample ? tPlural('sampleBadgeReviews', brief.sample) : brief.held ? t('badgeHeld') : t('badgeNew');
  // Pay on too few tasks says on how many ("$90.00/h · 1 task").
  if (brief.pay && brief.payTasks) return tPlural('sampleBadgePay', brief.payTasks, [formatMoney(brief.pay.centsPerHour, brief.pay.currency)]);
  if (brief.pay) return t('badgePerHour', formatMoney(brief.pay.centsPerHour, brief.pay.currency));
  return brief.level === 'ok' ? t('badgeOk') : t('badgeCaution');
}

/** The level in words for screen readers: a neutral badge on a small sample is not "no reviews yet". */
function levelWords(brief: BadgeBrief): string {
  return levelLabel(brief.level, brief.level === 'unknown' && !!brief.sample);
}

/** The screen reader's sentence after name and level: reasons and counts once the full answer is in. */
function details(key: RequesterKey, brief: BadgeBrief, result: LookupResult | undefined): string {
  const lines = result ? result.assessment.reasons.map(describeReason) : [];
  if (isKeyedByName(key)) lines.unshift(t('keyedByName'));
  const reviews = result?.summary?.allTime.reviews ?? 0;
  const sample = result?.assessment.sample;
  if (sample && brief.sample) lines.push(tPlural('sampleWhy', sample.reviews, [String(sample.needed)]));
  else if (reviews > 0) lines.push(tPlural('pluralBasedOnReviews', reviews));
  if (sample?.pay && !sample.pay.enough) lines.push(tPlural('samplePayFew', sample.pay.tasks, [String(sample.needed)]));
  const held = result?.summary?.held ?? 0;
  if (held > 0) lines.push(tPlural('pluralHeldReviews', held));
  else if (brief.level === 'unknown' && !brief.held && !brief.sample) lines.push(t('noReviewsHint'));
  return lines.join(' ');
}

export interface BadgeProps {
  requester: RequesterKey;
  name: string;
  brief: BadgeBrief;
  /** The full answer; until it arrives the badge shows the brief. */
  result: LookupResult | undefined;
}

const templates = new Map<Level, HTMLButtonElement>();

/** `<button class="badge LEVEL" aria-haspopup="dialog"><svg class="icon">…</svg><span></span></button>` */
function template(doc: Document, level: Level): HTMLButtonElement {
  let button = templates.get(level);
  if (!button) {
    button = doc.createElement('button');
    button.type = 'button';
    button.className = `badge ${level}`;
    button.setAttribute('aria-haspopup', 'dialog');
    button.append(levelIconSvg(doc, level, 11), doc.createElement('span'));
    templates.set(level, button);
  }
  return button;
}

/** A badge of `level` without its words yet: what a prototype host holds (features/badges.ts). */
export function badgeShell(doc: Document, level: Level): HTMLButtonElement {
  return template(doc, level).cloneNode(true) as HTMLButtonElement;
}

/**
 * Draws the badge into `mount`: in place when the level is unchanged, else a fresh clone.
 * It has no listeners of its own; features/badges.ts listens once for every badge.
 */
export function renderBadge(mount: ShadowRoot | HTMLElement, { requester, name, brief, result }: BadgeProps): void {
  const className = `badge ${brief.level}`;
  const existing = mount.firstElementChild as HTMLButtonElement | null;
  // Same level: change words in place, so a badge the worker is on keeps its focus.
  const button = existing?.className === className ? existing : (template(mount.ownerDocument, brief.level).cloneNode(true) as HTMLButtonElement);
  button.setAttribute('aria-label', t('badgeAria', [name, levelWords(brief), details(requester, brief, result)]));
  button.lastChild!.textContent = badgeText(brief);
  if (button === existing) return;
  const hadFocus = existing !== null && (mount.getRootNode() as ShadowRoot).activeElement === existing;
  mount.replaceChildren(button);
  if (hadFocus) button.focus({ preventScroll: true });
}

/**
 * Prolific (app.prolific.com) adapter: the studies list and a study page.
 *
 * The DOM names a researcher ("By <name>") but carries no id. The researcher's stable
 * id comes from the study list the page loads from Prolific's own API, observed by
 * prolific-main-world.ts and left in `data-lantern-researchers` on <html>, keyed by
 * study id (cards carry `data-testid="study-<id>"`, a study page has it in its URL).
 * When no id is known, the researcher is keyed by name (`prolific-name:…`) and the
 * badge says so. The participant's own id in the header is never read.
 */
import { cutText } from '../core/text-cut.js';
import { isPlatformPage } from '../core/platforms.js';
import { nameKey, requesterKey, type RequesterKey } from '../core/requester-key.js';
import type { PlatformAdapter, Problem, RequesterSpot, ScanResult, TaskContext } from './types.js';
import { taskObservation } from './work.js';

const CARD = 'li[data-testid^="study-"]';
const HOST = '[data-testid="host"], [aria-labelledby*="host-name-"]';
const STUDY_PATH = /^\/studies\/([0-9a-f]{24})\/?$/;

/** A researcher the page names but gives no id for: keyed by name (`prolific-name:…`). */
export const prolificNameKey = (name: string): RequesterKey | null => nameKey('prolific', name);

function researchers(doc: Document): Record<string, [string, string]> {
  try {
    const parsed: unknown = JSON.parse(doc.documentElement.getAttribute('data-lantern-researchers') ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, [string, string]>) : {};
  } catch {
    return {};
  }
}

function hostName(host: Element): string {
  const text = (host.textContent ?? '').replace(/\s+/g, ' ').trim();
  return host.matches('[data-testid="host"]') ? text.replace(/^By\s+/i, '') : text;
}

function spotFor(studyId: string, row: Element, known: Record<string, [string, string]>): RequesterSpot | null {
  const host = row.querySelector(HOST);
  if (!host) return null;
  const name = hostName(host);
  const pair = known[studyId];
  const key: RequesterKey | null = (pair && requesterKey('prolific', pair[0])) || prolificNameKey(name);
  if (!key) return null;
  // The host line is a block ("By <name>"): the badge goes inside it, on the name's line.
  return { key, name: pair?.[1] || name, anchor: host, row, position: 'beforeend' };
}

function money(text: string | null | undefined): TaskContext['reward'] {
  const match = text?.match(/([£$€])\s*(\d+(?:\.\d{1,2})?)/);
  if (!match) return null;
  const currency = match[1] === '£' ? 'GBP' : match[1] === '$' ? 'USD' : 'EUR';
  return { cents: Math.round(Number(match[2]) * 100), currency };
}

export const prolificAdapter: PlatformAdapter = {
  platform: 'prolific',

  handles(url) {
    return isPlatformPage('prolific', url);
  },

  scan(doc, url): ScanResult {
    const known = researchers(doc);
    const problems = new Set<Problem>();
    const spots: RequesterSpot[] = [];
    const study = url.pathname.match(STUDY_PATH)?.[1];
    if (study) {
      const host = doc.querySelector(HOST);
      const row = host?.closest('article, main, section') ?? host?.parentElement;
      const spot = row ? spotFor(study, row, known) : null;
      if (spot) spots.push(spot);
      return { page: 'study', spots, problems: [] };
    }
    for (const card of doc.querySelectorAll(CARD)) {
      const id = card.getAttribute('data-testid')!.slice('study-'.length);
      const spot = spotFor(id, card, known);
      if (spot) spots.push(spot);
      else problems.add('row_without_requester');
    }
    return { page: 'study-list', spots, problems: [...problems] };
  },

  task(doc, url) {
    const study = url.pathname.match(STUDY_PATH)?.[1];
    if (!study) return null;
    const spot = this.scan(doc, url).spots[0];
    if (!spot) return null;
    return {
      requester: spot.key,
      requesterName: spot.name,
      taskId: study,
      taskTitle: cutText((doc.querySelector('[data-testid="title"]')?.textContent ?? '').trim(), 300),
      reward: money(doc.querySelector('[data-testid="study-tag-reward"]')?.textContent),
      accepted: false,
    };
  },

  /** A study card's study (id, title, reward), for a form opened from its card (issue 12). */
  rowTask(row) {
    const studyId = /^study-([0-9a-f]{24})$/.exec(row.getAttribute('data-testid') ?? '')?.[1] ?? row.ownerDocument.location?.pathname.match(STUDY_PATH)?.[1];
    if (!studyId) return null;
    return {
      taskId: studyId,
      taskTitle: cutText((row.querySelector('[data-testid="title"]')?.textContent ?? '').trim(), 300),
      reward: money(row.querySelector('[data-testid="study-tag-reward"]')?.textContent),
    };
  },

  /**
   * Prolific's "Start now" / "Take part in this study" / "Reserve a place" (issue 12: the
   * Accept guard, as on Mechanical Turk). Its test id first; its words in case that changes.
   */
  isAcceptControl(control) {
    if (control.matches('[data-testid="start-now"], [data-testid="reserve-place"], [data-testid="take-part"]')) return true;
    const words = (control.textContent ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    return control.matches('button') && /^(?:start now|take part in this study|reserve (?:a|my) place)$/.test(words);
  },

  /** A study page the worker opened: previewed (Prolific shows no assignment). */
  work(doc, url) {
    const study = this.task(doc, url);
    const observed = study && taskObservation(study, 'previewed', null);
    return observed ? [observed] : [];
  },
};

/**
 * The detail card, loaded when first wanted. It is most of the content script's UI code
 * (Preact, the table, reviews, the sparkline), and most page views never open one; the
 * background injects detail-card.js into this world on request (see
 * detail-card/entry.ts). A failed load is tried again at the next opening.
 */
import type { CardActions, CardData } from './detail-card/card-data.js';

export interface DetailCardApi {
  openDetailCard(anchor: HTMLElement, data: CardData, actions: CardActions, via: 'click' | 'focus' | 'hover'): void;
}

export const DETAIL_CARD_GLOBAL = '__lanternDetailCard';

let loading: Promise<DetailCardApi> | null = null;

const loaded = () => (globalThis as unknown as Record<string, DetailCardApi | undefined>)[DETAIL_CARD_GLOBAL];

/** The card's code; `inject` asks the background to add it (content/load-card). */
export function detailCard(inject: () => Promise<unknown>): Promise<DetailCardApi> {
  const ready = loaded();
  if (ready) return Promise.resolve(ready);
  loading ??= inject().then(() => {
    const api = loaded();
    if (!api) throw new Error('detail card: the script ran but left no card');
    return api;
  });
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

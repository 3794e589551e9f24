/**
 * The detail card's own bundle (detail-card.js). The background adds it to a page's
 * content script world the first time a card opens there (content/load-card); it hands
 * the card to the content script through a global of that world, which the page can't see.
 */
import { DETAIL_CARD_GLOBAL, type DetailCardApi } from '../card-loader.js';
import { openDetailCard } from './index.js';

(globalThis as unknown as Record<string, DetailCardApi>)[DETAIL_CARD_GLOBAL] = { openDetailCard };

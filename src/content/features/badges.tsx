/** One badge beside every requester spot; it opens the detail card. */
import { render } from 'preact';
import { Badge } from '../badge.js';
import { BADGE_CSS } from '../badge-styles.js';
import { openDetailCard } from '../detail-card/index.js';
import { HostSlots } from './host-slots.js';
import type { ContentFeature } from './types.js';

const slots = new HostSlots('lantern-badge', BADGE_CSS);

export const badges: ContentFeature = {
  name: 'badges',

  apply({ doc, spots, results, actions }) {
    slots.begin();
    for (const spot of spots) {
      const result = results.get(spot.key);
      const host = slots.ensure(spot.row, spot.anchor, spot.position);
      if (!result) continue;
      host.element.dataset.lanternRequester = spot.key;
      host.element.dataset.lanternLevel = result.assessment.level;
      // Results are replaced, never changed in place: identity says whether to render again.
      const shown = host.shown as { result: unknown; name: string } | undefined;
      if (shown?.result === result && shown.name === spot.name) continue;
      host.shown = { result, name: spot.name };
      const element = host.element;
      const open = (via: 'click' | 'focus' | 'hover') => {
        openDetailCard(
          element,
          { key: spot.key, name: spot.name, result },
          {
            loadReviews: () => actions.loadReviews(spot.key),
            openForm: (form) => actions.openForm(form, spot.key),
            block: () => actions.block(spot.key, spot.name),
          },
          via,
        );
      };
      render(<Badge name={spot.name} result={result} onOpen={open} />, host.mount);
    }
    slots.sweep(doc);
  },

  clear(doc) {
    slots.clear(doc);
  },
};

/** One badge beside every requester spot; it opens the detail card. */
import { render } from 'preact';
import type { BadgeBrief } from '../../core/badge-brief.js';
import { Badge } from '../badge.js';
import { BADGE_CSS } from '../badge-styles.js';
import { openDetailCard } from '../detail-card/index.js';
import { HostSlots } from './host-slots.js';
import type { ContentFeature } from './types.js';

const slots = new HostSlots('lantern-badge', BADGE_CSS);

export const badges: ContentFeature = {
  name: 'badges',

  apply({ doc, spots, results, briefs, actions }) {
    slots.begin();
    for (const spot of spots) {
      const brief = briefs.get(spot.key);
      const host = slots.ensure(spot.row, spot.anchor, spot.position);
      if (!brief) continue;
      const result = results.get(spot.key);
      host.element.dataset.lanternRequester = spot.key;
      host.element.dataset.lanternLevel = brief.level;
      host.element.dataset.lanternDetails = result ? 'full' : 'brief';
      // Briefs and results are replaced, never changed in place: identity says whether to render again.
      const shown = host.shown as { brief: BadgeBrief; result: unknown; name: string } | undefined;
      if (shown?.brief === brief && shown.result === result && shown.name === spot.name) continue;
      host.shown = { brief, result, name: spot.name };
      const element = host.element;
      const open = (via: 'click' | 'focus' | 'hover') => {
        if (!result) return;
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
      render(<Badge requester={spot.key} name={spot.name} brief={brief} result={result} onOpen={open} />, host.mount);
    }
    slots.sweep(doc);
  },

  clear(doc) {
    slots.clear(doc);
  },
};

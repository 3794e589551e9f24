/**
 * The flagged-reviews queue: visible reviews with unresolved flags, most flaggers first; hide, dismiss the flags, or mute or ban the author.
 */
import { useState } from 'preact/hooks';
import { REVIEW_FLAG_REASONS } from '../../core/schemas.js';
import { MuteBan, RequesterFilter, ReviewBody } from '../parts.js';
import { Action, type Ctx, PagedItems, PER_PAGE, useLoad } from '../shared.js';

export function FlaggedQueue(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [reason, setReason] = useState('');
  const [requester, setRequester] = useState('');
  const { data, error, loading } = useLoad(ctx, 'flagged', { query: { page, perPage: PER_PAGE, reason, requester } }, props.version);
  return (
    <>
      <h2>Flagged reviews</h2>
      <p class="muted small">Visible reviews that workers flagged, most distinct flaggers first. Hiding removes a review from every summary at once.</p>
      <div class="filters">
        <label>
          Flag reason
          <select value={reason} onChange={(e) => (setReason(e.currentTarget.value), setPage(1))}>
            <option value="">any</option>
            {REVIEW_FLAG_REASONS.map((r) => (
              <option key={r} value={r}>
                {r.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <PagedItems data={data} loading={loading} error={error} onPage={setPage} label="Flagged reviews" empty="Nothing flagged. The queue is empty." bottomPager>
        {(item) => (
          <li key={item.review.id} data-review={item.review.id}>
            <ReviewBody item={item} rules={ctx.rules} />
            <div class="actions">
              <Action
                label="Hide review"
                danger
                run={(r) => ctx.api('hideReview', { params: { id: item.review.id }, body: { reason: r } })}
                done={() => ctx.changed('Review hidden; its author sees the reason.')}
              />
              <Action label="Dismiss flags" run={(r) => ctx.api('dismissReviewFlags', { params: { id: item.review.id }, body: { reason: r } })} done={() => ctx.changed('Flags dismissed.')} />
              <MuteBan ctx={ctx} target={{ kind: 'review', id: item.review.id }} who="author" />
            </div>
          </li>
        )}
      </PagedItems>
    </>
  );
}

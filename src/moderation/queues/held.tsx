/**
 * The held and hidden reviews: held ones (a brigade or three flags) restored, hidden or released per requester; hidden ones restored.
 */
import { useState } from 'preact/hooks';
import { MuteBan, RequesterFilter, ReviewBody } from '../parts.js';
import { Action, type Ctx, PagedItems, PER_PAGE, useLoad } from '../shared.js';

export function HeldQueue(props: { ctx: Ctx; version: number; status: 'held' | 'hidden' }) {
  const { ctx, status } = props;
  const [page, setPage] = useState(1);
  const [reason, setReason] = useState('');
  const [requester, setRequester] = useState('');
  // Typed as 'held': both answer pages of HeldItem, and for hidden ones the reason is empty, so not sent.
  const { data, error, loading } = useLoad(ctx, status as 'held', { query: { page, perPage: PER_PAGE, reason: status === 'held' ? reason : '', requester } }, props.version);
  return (
    <>
      <h2>{status === 'held' ? 'Held reviews' : 'Hidden reviews'}</h2>
      <p class="muted small">
        {status === 'held'
          ? 'Held reviews count nowhere until released: brigade holds (several new accounts within a day) and three-flag holds.'
          : 'Reviews a moderator hid. Their authors see the reason. Restore one if the hide was a mistake.'}
      </p>
      <div class="filters">
        {status === 'held' && (
          <label>
            Held because
            <select value={reason} onChange={(e) => (setReason(e.currentTarget.value), setPage(1))}>
              <option value="">any</option>
              <option value="brigade">brigade</option>
              <option value="flags">three flags</option>
            </select>
          </label>
        )}
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <PagedItems data={data} loading={loading} error={error} onPage={setPage} label={status} empty="Nothing here.">
        {(item) => (
          <li key={item.review.id} data-review={item.review.id}>
            <p class="small">
              <span class="tag">{status === 'held' ? `held: ${item.heldReason}` : `hidden: ${item.heldReason}`}</span>
            </p>
            <ReviewBody item={item} rules={ctx.rules} />
            <div class="actions">
              <Action
                label={status === 'held' ? 'Release review' : 'Restore review'}
                run={(r) => ctx.api('restoreReview', { params: { id: item.review.id }, body: { reason: r } })}
                done={() => ctx.changed(status === 'held' ? 'Review released.' : 'Review restored.')}
              />
              {status === 'held' && (
                <>
                  <Action label="Hide review" danger run={(r) => ctx.api('hideReview', { params: { id: item.review.id }, body: { reason: r } })} done={() => ctx.changed('Review hidden.')} />
                  <Action
                    label={`Release all held for ${item.requester.name || item.requester.key}`}
                    run={(r) => ctx.api('releaseHeld', { body: { requester: item.requester.key, reason: r } })}
                    done={() => ctx.changed('Held reviews released.')}
                  />
                </>
              )}
              <MuteBan ctx={ctx} target={{ kind: 'review', id: item.review.id }} who="author" />
            </div>
          </li>
        )}
      </PagedItems>
    </>
  );
}

// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true}}
/**
 * The Mechanical Turk adapter against the fixture pages (e2e/fixtures/mturk-*.html) in
 * happy-dom, with the pages' own re-render scripts: which rows it finds and with which
 * requester, the task each row and task page shows, the work-log observations, and that
 * the worker's own id (`A3WORKERID0OWN7`, shaped like a requester id) never comes out.
 * The browser suite checks the same pages end to end; this runs in seconds.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mturkAdapter as mturk } from './mturk.js';
import { fixtureHelpers, listFixture, openFixture, pagesFixture } from './fixture-page.testing.js';

const WORKER = 'A3WORKERID0OWN7';

interface ListHelpers {
  rerender(): void;
  sort(key?: string): void;
  remount(): void;
  order(): string[];
}

/** Nothing the adapter hands on carries the worker's own id. */
function expectNoWorkerId(value: unknown) {
  expect(JSON.stringify(value, (key, v: unknown) => (v instanceof Element ? v.outerHTML.length : v))).not.toContain(WORKER);
}

afterEach(() => {
  mturk.layoutChanged?.(true); // the adapter's remembered layout belongs to one page
});

describe.each(['mturk-home.html', 'mturk-search.html', 'mturk-requester-projects.html'])('task list %s', (file) => {
  const fixture = listFixture(file);

  test('every row gets its requester (key and name as the props give it), in page order, and nothing else', () => {
    const { doc, url } = openFixture(file, fixture.url);
    expect(doc.body.textContent).toContain(WORKER); // the page does show it…
    const result = mturk.scan(doc, url);
    expect(result.page).toBe('task-list');
    expect(result.problems).toEqual([]);
    expect(result.spots).toHaveLength(fixture.expectedBadges);
    expect(result.spots.map((s) => [s.key, s.name])).toEqual(fixture.rows.map((r) => [`mturk:${r.requesterId}`, r.requesterName]));
    for (const spot of result.spots) {
      // One badge per row, beside the shown copy of the row's requester link (desktop at 1280 px).
      expect(spot.row.matches('li.table-row')).toBe(true);
      expect(spot.anchor.closest('.desktop-row')).not.toBeNull();
      expect(spot.anchor.getAttribute('href')).toContain(`/requesters/${spot.key.slice('mturk:'.length)}/`);
      expect(spot.position).toBe('beforebegin');
    }
    expectNoWorkerId(result.spots.map((s) => [s.key, s.name])); // …the adapter never takes it
    expect(mturk.work?.(doc, url)).toEqual([]); // a task list is no work of the worker's
  });

  test("each row's task: group id, title and reward in cents", () => {
    const { doc, url } = openFixture(file, fixture.url);
    const tasks = mturk.scan(doc, url).spots.map((s) => mturk.rowTask?.(s.row));
    expect(tasks).toEqual(fixture.rows.map((r) => ({ taskId: r.hitSetId, taskTitle: r.title, reward: { cents: Math.round(r.reward * 100), currency: 'USD' } })));
  });

  test('after a client-side sort (props now stale) each row keeps its own requester', () => {
    const { doc, url } = openFixture(file, fixture.url);
    const helpers = fixtureHelpers<ListHelpers>();
    const before = helpers.order();
    helpers.sort('reward');
    if (file !== 'mturk-requester-projects.html') expect(helpers.order()).not.toEqual(before);
    const byGroup = new Map(fixture.rows.map((r) => [r.hitSetId, r]));
    const spots = mturk.scan(doc, url).spots;
    expect(spots.map((s) => [s.key, s.name])).toEqual(helpers.order().map((group) => [`mturk:${byGroup.get(group)!.requesterId}`, byGroup.get(group)!.requesterName]));
  });

  test('re-rendered rows (new nodes) and a remounted list give the same spots on the new nodes', () => {
    const { doc, url } = openFixture(file, fixture.url);
    const helpers = fixtureHelpers<ListHelpers>();
    const first = mturk.scan(doc, url).spots;
    helpers.rerender();
    const again = mturk.scan(doc, url).spots;
    expect(again.map((s) => s.key)).toEqual(first.map((s) => s.key));
    expect(again.every((s) => s.anchor.isConnected && !first.some((f) => f.anchor === s.anchor))).toBe(true);
    helpers.remount();
    expect(mturk.layoutChanged?.(false)).toBe(false); // the remembered rows are gone, not changed
    expect(mturk.scan(doc, url).spots.map((s) => s.key)).toEqual(first.map((s) => s.key));
  });
});

test('the page switches to its mobile layout: the remembered layout is dropped and the badge moves to the mobile copy', () => {
  const fixture = listFixture('mturk-home.html');
  const { doc, url } = openFixture('mturk-home.html', fixture.url);
  expect(mturk.scan(doc, url).spots.every((s) => s.anchor.closest('.desktop-row'))).toBe(true);
  expect(mturk.layoutChanged?.(false)).toBe(false); // nothing changed since the scan
  // What the page's own CSS does below 768 px (happy-dom keeps computed styles across a
  // viewport change, so the switch is made by a style sheet, which it does notice).
  const narrow = doc.createElement('style');
  narrow.textContent = '.hidden-sm-down{display:none!important}.hidden-md-up{display:block!important}';
  doc.head.append(narrow);
  expect(mturk.layoutChanged?.(false)).toBe(true); // a remembered link is now hidden: rescan
  const spots = mturk.scan(doc, url).spots;
  expect(spots).toHaveLength(fixture.expectedBadges);
  expect(spots.every((s) => s.anchor.closest('.mobile-row') && s.anchor.checkVisibility())).toBe(true);
  expect(spots.map((s) => s.key)).toEqual(fixture.rows.map((r) => `mturk:${r.requesterId}`));
});

test('a changed layout (garbled props, renamed classes, links without a valid id): no spot, problems said, no throw', () => {
  const { doc, url } = openFixture('mturk-changed.html', listFixture('mturk-changed.html').url);
  const result = mturk.scan(doc, url);
  expect(result.spots).toEqual([]);
  expect(result.problems.length).toBeGreaterThan(0);
  expect(result.problems.every((p) => ['no_rows', 'props_unreadable', 'row_without_requester'].includes(p))).toBe(true);
  expect(mturk.work?.(doc, url)).toEqual([]);
});

test('the dashboard shows the worker id in three places and yields no spot, no problem, no work', () => {
  const fixture = pagesFixture('mturk-dashboard.html');
  const { doc, url } = openFixture('mturk-dashboard.html', fixture.url);
  expect(doc.body.innerHTML.split(WORKER).length - 1).toBeGreaterThanOrEqual(3);
  expect(mturk.scan(doc, url)).toEqual({ page: 'dashboard', spots: [], problems: [] });
  expect(mturk.work?.(doc, url)).toEqual([]);
});

test('the queue: one spot per row, and each row as an accepted task with its assignment and time', () => {
  const fixture = pagesFixture('mturk-queue.html');
  const { doc, url } = openFixture('mturk-queue.html', fixture.url);
  const result = mturk.scan(doc, url);
  expect(result.page).toBe('queue');
  expect(result.problems).toEqual([]);
  expect(result.spots.map((s) => [s.key, s.name])).toEqual(fixture.items.map((i) => [`mturk:${i.requesterId}`, i.requesterName]));
  const work = mturk.work!(doc, url);
  expect(work).toEqual(
    fixture.items.map((i) => ({
      requester: `mturk:${i.requesterId}`,
      requesterName: i.requesterName,
      taskId: i.groupId,
      assignmentId: i.assignmentId,
      taskTitle: i.title,
      reward: { cents: Math.round(i.reward * 100), currency: 'USD' },
      event: 'accepted',
      at: expect.any(Number),
      outcome: null,
    })),
  );
  // The first row as the page's props give it: accepted 2025-06-02T15:26:48Z.
  expect(work[0]).toMatchObject({ taskId: '3FRM3W4UTN4SS8MBE8BS7JDSNLUIJB', assignmentId: '3HT2TS9CQLUB6R0B53U22QMMYSA9F5', at: Date.UTC(2025, 5, 2, 15, 26, 48), reward: { cents: 30, currency: 'USD' } });
  expectNoWorkerId(work);
});

test("status details: one spot per row; each row's outcome in Lantern's words, on the page's date at noon UTC", () => {
  const fixture = pagesFixture('mturk-status-details.html');
  const { doc, url } = openFixture('mturk-status-details.html', fixture.url);
  const result = mturk.scan(doc, url);
  expect(result.page).toBe('status-details');
  expect(result.spots.map((s) => s.key)).toEqual(fixture.items.map((i) => `mturk:${i.requesterId}`));
  // The expanded row's "Contact Requester" link carries a requester id but is not a requester link.
  expect(result.spots).toHaveLength(fixture.expectedBadges);
  const work = mturk.work!(doc, url);
  const words: Record<string, string> = { Paid: 'approved', Approved: 'approved', Submitted: 'pending', Rejected: 'rejected' };
  expect(work.map((w) => [w.requester, w.assignmentId, w.outcome, w.event, w.at])).toEqual(
    fixture.items.map((i) => [`mturk:${i.requesterId}`, i.assignmentId, words[i.state!], 'status', Date.UTC(2025, 5, 1, 12)]),
  );
  // The task group comes from the contact-requester URL (status rows have no group field).
  expect(work[0]).toMatchObject({ taskId: '32NW9ZTFZFL4JR0BAUF0JG341FA1IU', requesterName: '<b>Bold</b> Data & Annotation', reward: { cents: 12, currency: 'USD' } });
  expectNoWorkerId(work);
});

describe('task pages', () => {
  test('preview: the task (requester from the contact URL, title, reward), one spot after the details, previewed', () => {
    const fixture = pagesFixture('mturk-task-preview.html');
    const { doc, url } = openFixture('mturk-task-preview.html', fixture.url);
    const task = mturk.task(doc, url);
    expect(task).toEqual({
      requester: 'mturk:A2P2MT8IK72CVZ',
      requesterName: '日本語リサーチ',
      taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS',
      taskTitle: fixture.task!.title,
      reward: { cents: 150, currency: 'USD' },
      accepted: false,
    });
    const result = mturk.scan(doc, url);
    expect(result).toMatchObject({ page: 'task', problems: [] });
    expect(result.spots).toHaveLength(1);
    expect(result.spots[0]).toMatchObject({ key: 'mturk:A2P2MT8IK72CVZ', position: 'afterend' });
    expect(result.spots[0]!.anchor.matches('[data-react-class*="ShowModal"]')).toBe(true);
    expect(mturk.work!(doc, url)).toEqual([
      { requester: 'mturk:A2P2MT8IK72CVZ', requesterName: '日本語リサーチ', taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS', assignmentId: null, taskTitle: fixture.task!.title, reward: { cents: 150, currency: 'USD' }, event: 'previewed', at: null, outcome: null },
    ]);
    const accept = doc.querySelector('form.accept-form button')!;
    const skip = doc.querySelector('form.skip-form button')!;
    expect([mturk.isAcceptControl?.(accept), mturk.isAcceptControl?.(skip)]).toEqual([true, false]);
    expect(mturk.workOnSubmit?.(doc.querySelector('form.accept-form')!, doc, url)).toBeNull();
  });

  test('accepted: accepted with its assignment; Return and Submit noted as such', () => {
    const fixture = pagesFixture('mturk-task-accepted.html');
    const { doc, url } = openFixture('mturk-task-accepted.html', fixture.url);
    expect(mturk.task(doc, url)).toMatchObject({ requester: 'mturk:A2P2MT8IK72CVZ', taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS', accepted: true });
    expect(mturk.work!(doc, url)).toEqual([expect.objectContaining({ event: 'accepted', assignmentId: '3ASSIGNMENT0ID00000000000000XY', taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS' })]);
    expect(mturk.workOnSubmit?.(doc.querySelector('form.return-form')!, doc, url)).toMatchObject({ event: 'returned', assignmentId: '3ASSIGNMENT0ID00000000000000XY' });
    expect(mturk.workOnSubmit?.(doc.querySelector('form.task-submit-form')!, doc, url)).toMatchObject({ event: 'submitted', assignmentId: '3ASSIGNMENT0ID00000000000000XY' });
    expect(mturk.workOnSubmit?.(doc.querySelector('form.search-form')!, doc, url)).toBeNull();
    // The frame's src carries workerId=; nothing read from the page does.
    expect(doc.body.innerHTML).toContain(WORKER);
    expectNoWorkerId([mturk.task(doc, url), mturk.work!(doc, url), mturk.scan(doc, url).spots.map((s) => s.key)]);
  });

  test('re-rendered detail bar: the same task and a spot on the new nodes', () => {
    const fixture = pagesFixture('mturk-task-preview.html');
    const { doc, url } = openFixture('mturk-task-preview.html', fixture.url);
    const before = mturk.scan(doc, url).spots[0]!;
    fixtureHelpers<{ rerender(): void }>().rerender();
    const after = mturk.scan(doc, url).spots[0]!;
    expect(after.key).toBe(before.key);
    expect(after.anchor).not.toBe(before.anchor);
    expect(after.anchor.isConnected).toBe(true);
  });
});

test('handles only worker.mturk.com', () => {
  expect(['https://worker.mturk.com/tasks', 'https://www.mturk.com/', 'https://app.prolific.com/studies'].map((u) => mturk.handles(new URL(u)))).toEqual([true, false, false]);
});

test('a task page title or name over the bound is cut on a character boundary, and a title attribute is taken as the schema trims it', async () => {
  const { taskPageContext } = await import('./mturk-task-page.js');
  const { ReviewInput } = await import('../core/schemas.js');
  const doc = document.implementation.createHTMLDocument('task');
  const props = { modalOptions: { projectTitle: `${'t'.repeat(299)}\u{1F600}`, contactRequesterUrl: '/contact?hit_type_message[requester_id]=A1ACMELABS0001' } };
  doc.body.innerHTML = `<div class="project-detail-bar"><div data-react-class="ShowModal"></div><a href="/requesters/A1ACMELABS0001/projects" title="\n\tAcme ${'n'.repeat(192)}\u{1F600}x"></a></div>`;
  doc.querySelector('[data-react-class]')!.setAttribute('data-react-props', JSON.stringify(props));
  const task = taskPageContext(doc, new URL('https://worker.mturk.com/projects/3ABCDEFGHIJKLMNOPQRST/tasks'))!;
  expect(task.taskTitle).toBe('t'.repeat(299));
  expect(() => encodeURIComponent(task.requesterName)).not.toThrow(); // no lone surrogate
  const { requester, requesterName, taskId, taskTitle } = task;
  const ratings = { pay: 4, fairness: 5, speed: 4, communication: null };
  const reward = { cents: 100, currency: 'USD' };
  const rest = { bonusCents: 0, minutes: 6, finished: true, outcome: 'approved', daysToDecision: 2, tags: [], text: 'A fine task, paid on time.' };
  // The whole review is accepted: before the fix, a lone surrogate at the cut refused it.
  const parsed = ReviewInput.safeParse({ requester, requesterName, taskId, taskTitle, reward, ratings, ...rest });
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  expect(parsed.data?.requesterName.startsWith('Acme n')).toBe(true);
});

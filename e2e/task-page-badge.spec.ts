/**
 * Issue 12 item 6: on Mechanical Turk's task page the requester badge is always visible —
 * at 1024, 1280 and 1920 px wide windows and at 200 % zoom — tested by geometry, not by
 * a screenshot: the badge's box lies inside the viewport, no ancestor that clips
 * (overflow other than visible) cuts any of it off, and its button is what a click at its
 * centre reaches.
 *
 * Zoom: a browser zoomed to 200 % lays the page out in half as many CSS pixels (a 1280 px
 * window is 640 CSS px wide, so MTurk's `sm` breakpoint applies) and draws each CSS pixel
 * with two device pixels. `Emulation.setDeviceMetricsOverride` with width = window / 2 and
 * deviceScaleFactor 2 reproduces exactly that: the page reflows, media queries and
 * `devicePixelRatio` see what they see under zoom (the test checks both). `body.style.zoom`
 * would scale the page without changing the viewport the media queries see, and
 * `Emulation.setPageScaleFactor` is a pinch-zoom that does not reflow at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import { artifactPath, expect, FIXTURES_DIR, seedReplica, test } from './harness.js';
import { summaryFor, type SummaryState } from './summaries.js';

test.use({ actionTimeout: 15_000 });

const PAGES = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
  fixtures: Record<string, { url: string; requesters: { id: string; name: string }[] }>;
};

interface Size {
  label: string;
  /** CSS pixels the page is laid out in: the window's width divided by the zoom. */
  width: number;
  height: number;
  zoom: 1 | 2;
}
const SIZES: Size[] = [
  { label: '1024 px', width: 1024, height: 768, zoom: 1 },
  { label: '1280 px', width: 1280, height: 800, zoom: 1 },
  { label: '1920 px', width: 1920, height: 1080, zoom: 1 },
  { label: '1024 px at 200 %', width: 512, height: 384, zoom: 2 },
  { label: '1280 px at 200 %', width: 640, height: 400, zoom: 2 },
  { label: '1920 px at 200 %', width: 960, height: 540, zoom: 2 },
];

interface Geometry {
  viewport: { width: number; height: number; dpr: number; smBreakpoint: boolean };
  badge: { left: number; top: number; right: number; bottom: number; width: number; height: number };
  /** Ancestors with overflow other than visible whose client rect doesn't hold the whole badge. */
  clippedBy: { element: string; left: number; right: number; top: number; bottom: number }[];
  /** What a click at the badge button's centre reaches: the badge's own button, or what covers it. */
  topmost: string;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function measure(page: Page, key: string): Promise<Geometry> {
  const raw = await page.evaluate((requester) => {
    const host = document.querySelector(`lantern-badge[data-lantern-requester="${requester}"]`)!;
    const button = host.shadowRoot!.querySelector('button')!;
    const box = host.getBoundingClientRect();
    const describe = (el: Element) => el.localName + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    const clippedBy = [];
    // The viewport itself (html's client rect) is checked below; every other clipping ancestor here.
    for (let el = host.parentElement; el && el !== document.documentElement; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const outer = el.getBoundingClientRect();
      const left = outer.left + el.clientLeft;
      const top = outer.top + el.clientTop;
      const clip = { left, top, right: left + el.clientWidth, bottom: top + el.clientHeight };
      // Half a pixel of slack for sub-pixel layout.
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5 || box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5) {
        clippedBy.push({ element: describe(el), ...clip });
      }
    }
    const inner = button.getBoundingClientRect();
    const x = inner.left + inner.width / 2;
    const y = inner.top + inner.height / 2;
    // The document sees the host (shadow retargeting); the shadow root, what inside it is hit.
    const outerHit = document.elementFromPoint(x, y);
    const innerHit = outerHit === host ? host.shadowRoot!.elementFromPoint(x, y) : null;
    const topmost = innerHit && button.contains(innerHit) ? 'badge button' : outerHit ? describe(outerHit) : 'nothing';
    return {
      viewport: {
        width: document.documentElement.clientWidth,
        height: window.innerHeight,
        dpr: window.devicePixelRatio,
        smBreakpoint: matchMedia('(max-width: 767.98px)').matches,
      },
      badge: { left: box.left, top: box.top, right: box.right, bottom: box.bottom, width: box.width, height: box.height },
      clippedBy,
      topmost,
    };
  }, key);
  return {
    ...raw,
    badge: Object.fromEntries(Object.entries(raw.badge).map(([k, v]) => [k, round(v)])) as Geometry['badge'],
    clippedBy: raw.clippedBy.map((c) => ({ ...c, left: round(c.left), right: round(c.right), top: round(c.top), bottom: round(c.bottom) })),
  };
}

/** The session stays attached: Chromium drops a session's overrides when it detaches. */
async function resize(cdp: CDPSession, size: Size): Promise<void> {
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: size.width, height: size.height, deviceScaleFactor: size.zoom, mobile: false });
}

/** The fixture at its real address, the requester's name replaced by `name` when given. */
async function open(context: BrowserContext, file: string, name?: string): Promise<Page> {
  const fixture = PAGES.fixtures[file]!;
  let body = readFileSync(join(FIXTURES_DIR, file), 'utf8');
  if (name) body = body.replaceAll(fixture.requesters[0]!.name, name);
  await context.route(`${new URL(fixture.url).origin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
  const page = await context.newPage();
  await page.goto(fixture.url);
  return page;
}

async function seed(background: Worker, id: string, name: string, state: SummaryState): Promise<void> {
  await seedReplica(background, [summaryFor(`mturk:${id}`, name, state)]);
}

const LONG_NAME = 'Behavioural Economics Research Laboratory at the University of Somewhere (Online Studies Team)';

for (const [file, name, state] of [
  ['mturk-task-preview.html', undefined, 'ok'],
  ['mturk-task-accepted.html', undefined, 'caution'],
  ['mturk-task-preview.html', LONG_NAME, 'danger'],
] as const) {
  test(`${file}${name ? ' (long requester name)' : ''}, ${state} badge: inside the viewport and unclipped at every width and at 200 %`, async ({
    context,
    background,
  }) => {
    const id = PAGES.fixtures[file]!.requesters[0]!.id;
    const key = `mturk:${id}`;
    await seed(background, id, name ?? PAGES.fixtures[file]!.requesters[0]!.name, state);
    const page = await open(context, file, name);
    // The full answer drawn: the badge says its longest words by then.
    await expect(page.locator(`lantern-badge[data-lantern-requester="${key}"]`)).toHaveAttribute('data-lantern-details', 'full');
    await expect(page.locator(`lantern-badge[data-lantern-requester="${key}"]`)).toHaveAttribute('data-lantern-level', state);

    const cdp = await context.newCDPSession(page);
    const failures: string[] = [];
    for (const size of SIZES) {
      await resize(cdp, size);
      const g = await measure(page, key);
      console.log(`${file}${name ? ' long name' : ''} ${size.label}: ${JSON.stringify(g)}`);
      // The emulation really is what zoom does: the layout width, media queries and pixel ratio.
      expect(g.viewport).toEqual({ width: size.width, height: size.height, dpr: size.zoom, smBreakpoint: size.width < 768 });
      const inside = g.badge.width > 0 && g.badge.left >= 0 && g.badge.top >= 0 && g.badge.right <= g.viewport.width && g.badge.bottom <= g.viewport.height;
      if (!inside) failures.push(`${size.label}: badge ${JSON.stringify(g.badge)} not inside the ${g.viewport.width}×${g.viewport.height} viewport`);
      if (g.clippedBy.length > 0) failures.push(`${size.label}: badge ${JSON.stringify(g.badge)} clipped by ${JSON.stringify(g.clippedBy)}`);
      if (g.topmost !== 'badge button') failures.push(`${size.label}: a click at the badge's centre reaches ${g.topmost}`);
      if (file === 'mturk-task-preview.html' && !name && size.width === 1280 && size.zoom === 1) {
        await page.screenshot({ path: artifactPath('task-page-1280.png'), clip: { x: 0, y: 0, width: 1280, height: 320 } });
      }
      if (file === 'mturk-task-preview.html' && name && size.width === 640) {
        await page.screenshot({ path: artifactPath('task-page-1280-zoom-200-long-name.png'), clip: { x: 0, y: 0, width: 640, height: 400 } });
      }
    }
    expect(failures).toEqual([]);

    // Where it now sits, the badge still does its job: a click opens its card, on screen.
    await resize(cdp, SIZES[1]!);
    await page.locator(`lantern-badge[data-lantern-requester="${key}"]`).getByRole('button').click();
    const card = page.locator('lantern-card').getByRole('dialog');
    await expect(card).toBeVisible();
    const box = (await card.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
  });
}

/**
 * Renders icons/lantern.svg to icons/icon-{16,32,48,128}.png.
 *
 *   npx tsx scripts/render-icons.ts
 *
 * Uses Playwright with the system Chromium (CHROMIUM_PATH, else /usr/bin/chromium):
 * transparent background, device scale factor 1, each PNG clipped to its exact size.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ICONS = join(ROOT, 'icons');
const SIZES = [16, 32, 48, 128] as const;

async function main(): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  const svg = readFileSync(join(ICONS, 'lantern.svg'), 'utf8');
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'],
  });
  try {
    for (const size of SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      await page.setContent(
        `<!DOCTYPE html><html><head><style>html,body{margin:0;padding:0;background:transparent}img{display:block;width:${size}px;height:${size}px}</style></head>` +
          `<body><img src="${src}" width="${size}" height="${size}" alt=""></body></html>`,
      );
      await page.waitForFunction(() => {
        const img = document.querySelector('img');
        return !!img && img.complete && img.naturalWidth > 0;
      });
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      const out = join(ICONS, `icon-${size}.png`);
      writeFileSync(out, png);
      console.log(`wrote ${out} (${png.length} bytes)`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

await main();

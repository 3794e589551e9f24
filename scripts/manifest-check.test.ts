import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifest, manifestFiles } from './manifest-check.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-manifest-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const manifest = {
  manifest_version: 3,
  name: '__MSG_extName__',
  default_locale: 'en',
  icons: { '16': 'icons/icon-16.png' },
  background: { service_worker: 'background.js', scripts: ['background.js'] },
  content_scripts: [{ matches: ['https://worker.mturk.com/*'], js: ['content.js'] }],
  action: { default_popup: 'popup.html' },
};

describe('manifest check', () => {
  it('lists every file the manifest names, once', () => {
    expect(manifestFiles(manifest).sort()).toEqual(
      ['_locales/en/messages.json', 'background.js', 'content.js', 'icons/icon-16.png', 'popup.html'].sort(),
    );
  });

  it('passes a complete build', () => {
    const dir = folder({
      'manifest.json': JSON.stringify(manifest),
      '_locales/en/messages.json': JSON.stringify({ extName: { message: 'Lantern' } }),
      'icons/icon-16.png': 'png',
      'background.js': '',
      'content.js': '',
      'popup.html': '',
    });
    expect(checkManifest(dir)).toEqual([]);
  });

  it('names each missing file and each undefined locale string', () => {
    const dir = folder({
      'manifest.json': JSON.stringify(manifest),
      '_locales/en/messages.json': JSON.stringify({}),
      'background.js': '',
    });
    const problems = checkManifest(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"content.js"'),
        expect.stringContaining('"icons/icon-16.png"'),
        expect.stringContaining('"popup.html"'),
        expect.stringContaining('__MSG_extName__'),
      ]),
    );
    expect(problems).toHaveLength(4);
  });
});

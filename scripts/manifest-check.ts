/**
 * The build fails when a file the manifest names is missing (as Vimium's build does):
 * a typo in manifest.json should break the build, not the installed extension.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  default_locale?: string;
  name?: string;
  description?: string;
  icons?: Record<string, string>;
  background?: { service_worker?: string; scripts?: string[] };
  content_scripts?: { js?: string[]; css?: string[] }[];
  action?: { default_popup?: string; default_icon?: string | Record<string, string> };
  options_ui?: { page?: string };
  web_accessible_resources?: { resources: string[] }[];
}

/** Every file path the manifest refers to. */
export function manifestFiles(manifest: Manifest): string[] {
  const files: string[] = [];
  const add = (file: string | undefined) => file && files.push(file);
  Object.values(manifest.icons ?? {}).forEach(add);
  add(manifest.background?.service_worker);
  manifest.background?.scripts?.forEach(add);
  for (const script of manifest.content_scripts ?? []) {
    script.js?.forEach(add);
    script.css?.forEach(add);
  }
  add(manifest.action?.default_popup);
  const icon = manifest.action?.default_icon;
  if (typeof icon === 'string') add(icon);
  else Object.values(icon ?? {}).forEach(add);
  add(manifest.options_ui?.page);
  for (const war of manifest.web_accessible_resources ?? []) war.resources.filter((r) => !r.includes('*')).forEach(add);
  if (manifest.default_locale) add(`_locales/${manifest.default_locale}/messages.json`);
  return [...new Set(files)];
}

/** Problems with a built extension folder: missing files and undefined `__MSG_…__` strings. */
export function checkManifest(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const problems = manifestFiles(manifest)
    .filter((file) => !existsSync(join(dir, file)))
    .map((file) => `manifest.json names "${file}", which the build did not produce`);
  if (manifest.default_locale) {
    const messagesFile = join(dir, '_locales', manifest.default_locale, 'messages.json');
    if (existsSync(messagesFile)) {
      const messages = JSON.parse(readFileSync(messagesFile, 'utf8')) as Record<string, unknown>;
      const raw = JSON.stringify(manifest);
      for (const [, key] of raw.matchAll(/__MSG_(\w+)__/g)) {
        if (!(key! in messages)) problems.push(`manifest.json uses __MSG_${key}__, missing from ${messagesFile}`);
      }
    }
  }
  return problems;
}

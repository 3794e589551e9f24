/**
 * Every string exists in English and Spanish, with the same substitutions: a key missing
 * in one language, a `$N` that only one language uses, or a placeholder a message names
 * but doesn't declare would show workers a raw key or a hole in a sentence.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Entry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Messages = Record<string, Entry>;

const HERE = dirname(fileURLToPath(import.meta.url));
const LOCALES = join(HERE, '..', '..', '_locales');
const load = (lang: string): Messages => JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8')) as Messages;
const en = load('en');
const es = load('es');

/** `$1`…`$9` substitutions in a text (`$$` is a literal dollar sign). */
function positional(text: string): string[] {
  return [...new Set([...text.replace(/\$\$/g, '').matchAll(/\$(\d)/g)].map((m) => `$${m[1]}`))].sort();
}
/** `$name$` placeholder references (names are case-insensitive in both browsers). */
function named(text: string): string[] {
  return [...text.replace(/\$\$/g, '').matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase());
}
/** Every `$N` a message really substitutes: directly, or through the placeholders it names. */
function substitutions(entry: Entry): string[] {
  const direct = positional(entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, ''));
  const viaPlaceholders = named(entry.message).flatMap((name) => positional(placeholderOf(entry, name)?.content ?? ''));
  return [...new Set([...direct, ...viaPlaceholders])].sort();
}
function placeholderOf(entry: Entry, name: string) {
  return Object.entries(entry.placeholders ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

function problemsIn(messages: Messages): string[] {
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(messages)) {
    if (typeof entry.message !== 'string') {
      problems.push(`${key}: no message`);
      continue;
    }
    if (!/^[A-Za-z0-9_@]+$/.test(key)) problems.push(`${key}: key must be letters, digits and _`);
    for (const name of named(entry.message)) {
      if (!placeholderOf(entry, name)) problems.push(`${key}: $${name}$ is not declared in placeholders`);
    }
    const declared = new Set(Object.values(entry.placeholders ?? {}).flatMap((p) => positional(p.content)));
    for (const n of positional(entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, ''))) {
      if (!declared.has(n)) problems.push(`${key}: ${n} is used but no placeholder declares it`);
    }
  }
  return problems;
}

describe('_locales', () => {
  it('has English and Spanish, and no other language half-done', () => {
    const langs = readdirSync(LOCALES).sort();
    expect(langs).toContain('en');
    expect(langs).toContain('es');
    for (const lang of langs) expect(Object.keys(load(lang)).sort(), `${lang} keys`).toEqual(Object.keys(en).sort());
  });

  it('has every English key in Spanish and no Spanish key English lacks', () => {
    expect(Object.keys(en).filter((k) => !(k in es)), 'missing in es').toEqual([]);
    expect(Object.keys(es).filter((k) => !(k in en)), 'missing in en').toEqual([]);
  });

  it('declares every placeholder a message names, in both languages', () => {
    expect(problemsIn(en), 'en').toEqual([]);
    expect(problemsIn(es), 'es').toEqual([]);
  });

  it('substitutes the same $N in both languages, with the same placeholders', () => {
    const differences: string[] = [];
    for (const [key, entry] of Object.entries(en)) {
      const other = es[key];
      if (!other) continue;
      const a = substitutions(entry).join(' ');
      const b = substitutions(other).join(' ');
      if (a !== b) differences.push(`${key}: en uses [${a}], es uses [${b}]`);
      if (JSON.stringify(entry.placeholders ?? {}) !== JSON.stringify(other.placeholders ?? {})) differences.push(`${key}: placeholders differ`);
    }
    expect(differences).toEqual([]);
  });

  it('has every string the detail card asks for', () => {
    const keys = new Set<string>();
    for (const file of readdirSync(HERE).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))) {
      const source = readFileSync(join(HERE, file), 'utf8');
      for (const m of source.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) keys.add(m[1]!);
      for (const m of source.matchAll(/\bt\(\s*\w+\s*\?\s*'([A-Za-z0-9_]+)'\s*:\s*'([A-Za-z0-9_]+)'/g)) keys.add(m[1]!).add(m[2]!);
      // tPlural('key', n) reads `key_one` and `key_other` (ui/i18n.ts).
      for (const m of source.matchAll(/\btPlural\(\s*'([A-Za-z0-9_]+)'/g)) keys.add(`${m[1]}_one`).add(`${m[1]}_other`);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !(k in en))).toEqual([]);
  });
});

// @vitest-environment happy-dom
/**
 * `ui/labels.ts` holds the one mapping from levels, issue tags, outcomes and rating
 * dimensions to their message keys. Every value must have its own words in English and
 * Spanish (a missing key would show the key itself), and the popup's level pill must say
 * the same word as `levelWord`, which the detail card and the rules page also use.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { h, render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { ISSUE_TAGS, OUTCOMES, RATING_DIMENSIONS } from '../core/fields.js';
import type { Level } from '../core/schemas.js';

type Messages = Record<string, { message: string }>;
const HERE = dirname(fileURLToPath(import.meta.url));
const load = (lang: string): Messages => JSON.parse(readFileSync(join(HERE, '..', '_locales', lang, 'messages.json'), 'utf8')) as Messages;
const LEVELS: Level[] = ['unknown', 'ok', 'caution', 'danger'];

async function labelsIn(lang: 'en' | 'es') {
  const messages = load(lang);
  (globalThis as unknown as { chrome: unknown }).chrome = {
    i18n: { getMessage: (key: string) => messages[key]?.message ?? '', getUILanguage: () => lang },
  };
  vi.resetModules();
  return { labels: await import('./labels.js'), pill: await import('./components/Level.js'), messages };
}

for (const lang of ['en', 'es'] as const) {
  describe(`labels in ${lang}`, () => {
    it('every level, tag, outcome and dimension has words of its own, none the bare key', async () => {
      const { labels, messages } = await labelsIn(lang);
      const known = new Set(Object.values(messages).map((m) => m.message));
      const sets = [
        LEVELS.map((level) => labels.levelWord(level)),
        LEVELS.map((level) => labels.levelLabel(level)),
        ISSUE_TAGS.map(labels.tagLabel),
        ISSUE_TAGS.map(labels.tagMeaning),
        OUTCOMES.map(labels.outcomeLabel),
        RATING_DIMENSIONS.map(labels.dimensionLabel),
      ];
      for (const words of sets) {
        expect(new Set(words).size, words.join(' | ')).toBe(words.length);
        for (const word of words) expect(known.has(word), word).toBe(true);
      }
      expect([...labels.ISSUE_ORDER].sort()).toEqual([...ISSUE_TAGS].sort());
    });

    it('a level has one word: the same as a title and, in lower case, inside a sentence', async () => {
      const { labels, messages } = await labelsIn(lang);
      expect(labels.levelWord('ok')).toBe(messages.levelWordOk!.message);
      expect(labels.levelWord('danger')).toBe(messages.levelWordDanger!.message);
      expect(labels.levelWord('unknown', true)).toBe(messages.sampleLevelWord!.message);
      expect(labels.levelLabel('unknown', true)).toBe(messages.sampleLevelLabel!.message);
      for (const level of ['ok', 'caution', 'danger'] as const) expect(labels.levelLabel(level)).toBe(labels.levelWord(level).toLowerCase());
    });

    it("the popup's level pill says levelWord", async () => {
      const { labels, pill } = await labelsIn(lang);
      const root = document.createElement('div');
      for (const level of LEVELS) {
        for (const fewReviews of [false, true]) {
          render(h(pill.LevelPill, { level, fewReviews }), root);
          expect(root.textContent).toBe(labels.levelWord(level, fewReviews));
        }
      }
    });
  });
}

/**
 * Refusals reach the worker in words: every issue the shared schemas can raise is said by
 * `describeIssues` in a fixed phrase, and each phrase has a sentence in English and
 * Spanish. Nothing of zod's ("Invalid input"), no pattern and no `prolific:<24 hex>` gets
 * through — whether the refusal came from the background or from the server.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { ServerUrl, Settings } from '../core/extension-state.js';
import { RequesterKey } from '../core/requester-key.js';
import { ReviewFlagInput, ReviewInput, SuspensionReportInput } from '../core/schemas.js';
import { describeIssues, issueText } from '../core/validation.js';

type Messages = Record<string, { message: string }>;
const HERE = dirname(fileURLToPath(import.meta.url));
const load = (lang: string): Messages => JSON.parse(readFileSync(join(HERE, '..', '_locales', lang, 'messages.json'), 'utf8')) as Messages;
const LOCALES: Record<string, Messages> = { en: load('en'), es: load('es') };

async function wordsIn(lang: string) {
  (globalThis as unknown as { chrome: unknown }).chrome = {
    i18n: {
      getMessage: (key: string, subs: string | string[] = []) => {
        const entry = LOCALES[lang]![key] ?? LOCALES.en![key];
        const values = typeof subs === 'string' ? [subs] : subs;
        return entry ? entry.message.replace(/\$(\$|[1-9])/g, (_, w: string) => (w === '$' ? '$' : (values[Number(w) - 1] ?? ''))) : '';
      },
      getUILanguage: () => lang,
    },
  };
  vi.resetModules();
  return import('./error-words.js');
}

const label = (path: string) => `[${path}]`;

function refusal(schema: z.ZodMiniType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a refusal');
  return `ui/submit: ${describeIssues(result.error)}`;
}

const review = {
  requester: 'mturk:A1B2C3D4E5F6G7',
  requesterName: 'Acme',
  taskId: 'T1',
  taskTitle: 'Survey',
  reward: { cents: 150, currency: 'USD' },
  minutes: 10,
  finished: true,
  outcome: 'approved',
  daysToDecision: null,
  ratings: { pay: 4, fairness: null, speed: null, communication: null },
  text: '',
  tags: [],
};

/** What a worker must never read. */
const DEVELOPER_WORDS = /Invalid input|<24 hex>|prolific:|mturk:|must be|expected|\/\^|\bregex\b|is missing or not|\(body\)/;

describe('describeIssues', () => {
  it('says each issue from its code and limits, not zod/mini’s "Invalid input"', () => {
    const text = refusal(z.strictObject({ a: z.string().check(z.minLength(3)), n: z.number().check(z.maximum(5)), e: z.enum(['x', 'y']), l: z.array(z.string()).check(z.maxLength(1)) }), {
      a: 'x',
      n: 9,
      e: 'q',
      l: ['1', '2'],
    });
    expect(text).toBe('ui/submit: a: must be at least 3 characters; n: must be at most 5; e: must be one of: x, y; l: must have at most 1 items');
    expect(refusal(z.strictObject({ a: z.string() }), {})).toBe('ui/submit: a: is missing or not text');
    expect(refusal(z.strictObject({}), { k: 1 })).toBe('ui/submit: (body): has fields it should not: k');
  });

  it('keeps a schema’s own sentence', () => {
    expect(refusal(z.strictObject({ requester: RequesterKey }), { requester: 'prolific:123' })).toContain('requester: must be "mturk:A…"');
  });
});

describe('refusalText() and plainError()', () => {
  it('puts a bad requester id in words, never the pattern (English)', async () => {
    const { refusalText } = await wordsIn('en');
    const text = refusalText(refusal(z.strictObject({ requester: RequesterKey }), { requester: 'prolific:123' }), label);
    expect(text).toBe(
      '[requester]: this is not a requester id Lantern knows: an MTurk requester id is A followed by 11 to 20 capital letters and digits (like A1B2C3D4E5F6G7), and a Prolific researcher id has 24 letters and digits (0–9 and a–f); you can also paste the requester’s page address',
    );
  });

  it('says every problem of a review at once, in words (English and Spanish)', async () => {
    const bad = { ...review, taskId: 'a b', reward: { cents: -5, currency: 'USD' }, ratings: { ...review.ratings, pay: 9 }, text: 'x'.repeat(2001) };
    const raw = refusal(ReviewInput, bad);
    const en = (await wordsIn('en')).refusalText(raw, label);
    expect(en).toBe('[taskId]: use only letters, digits, “_” and “-”; [reward.cents]: enter an amount like 1.50; [ratings.pay]: enter 5 or less; [text]: write at most 2,000 characters');
    const es = (await wordsIn('es')).refusalText(raw, label);
    expect(es).toBe('[taskId]: usa solo letras, cifras, «_» y «-»; [reward.cents]: enter an amount like 1.50; [ratings.pay]: escribe 5 o menos; [text]: escribe como máximo 2000 caracteres'.replace('enter an amount like 1.50', LOCALES.es!.errorMoney!.message));
  });

  it('says the review-must-say-something rule, the flag note and the report rules in words', async () => {
    const { refusalText } = await wordsIn('en');
    const empty = refusalText(refusal(ReviewInput, { ...review, ratings: { pay: null, fairness: null, speed: null, communication: null } }), label);
    expect(empty).toMatch(/^\[text\]: give at least one rating, or write at least \d+ characters$/);
    const flag = refusalText(refusal(ReviewFlagInput, { reviewId: 'abc', reason: 'other', note: 'short' }), label);
    expect(flag).toMatch(/^\[note\]: for “other”, explain in a note of at least \d+ characters$/);
    const report = refusalText(refusal(SuspensionReportInput, { suspendedOn: '2026-11-30', reinstated: false, tasks: [], requesters: [] }), label);
    expect(report).not.toMatch(DEVELOPER_WORDS);
  });

  it('names the server address rule', async () => {
    const { refusalText } = await wordsIn('en');
    const text = refusalText(refusal(z.strictObject({ serverUrl: ServerUrl }), { serverUrl: 'http://example.org' }), label);
    expect(text).toBe('[serverUrl]: enter an address starting with https:// (http:// only for a server on this computer: 127.0.0.1 or localhost)');
  });

  for (const lang of ['en', 'es']) {
    it(`leaves no developer words in any refusal of the shared schemas (${lang})`, async () => {
      const { refusalText } = await wordsIn(lang);
      const refusals = [
        refusal(ReviewInput, {}),
        refusal(ReviewInput, { ...review, minutes: 'ten', finished: 'yes', outcome: 'great', extra: 1 }),
        refusal(ReviewInput, { ...review, requester: 'prolific:<24 hex>', requesterName: '', taskTitle: 5 }),
        refusal(ReviewFlagInput, { reviewId: '', reason: 'nope' }),
        refusal(SuspensionReportInput, {}),
        refusal(Settings, { serverUrl: 'ftp://x', thresholds: 'high' }),
        refusal(z.strictObject({ tags: z.array(z.string()).check(z.minLength(2)), day: z.iso.date(), n: z.number().check(z.positive()) }), { tags: [], day: 'soon', n: 0 }),
      ];
      for (const raw of refusals) expect(refusalText(raw, label), raw).not.toMatch(DEVELOPER_WORDS);
    });
  }

  it('passes through text that is already words (a network or server sentence)', async () => {
    const { refusalText } = await wordsIn('en');
    expect(refusalText('Failed to fetch')).toBe('Failed to fetch');
  });

  it('has a sentence for each phrase issueText can say', async () => {
    const { plainError } = await wordsIn('en');
    const phrases = [
      issueText({ code: 'invalid_type', expected: 'number', path: [], message: 'Invalid input', input: undefined }),
      issueText({ code: 'invalid_type', expected: 'boolean', path: [], message: 'Invalid input', input: undefined }),
      issueText({ code: 'invalid_type', expected: 'array', path: [], message: 'Invalid input', input: undefined }),
      issueText({ code: 'invalid_type', expected: 'bigint', path: [], message: 'Invalid input', input: undefined }),
      issueText({ code: 'too_small', origin: 'string', minimum: 1, path: [], message: 'Invalid input', input: '' }),
      issueText({ code: 'too_small', origin: 'number', minimum: 0, inclusive: false, path: [], message: 'Invalid input', input: 0 }),
      issueText({ code: 'too_big', origin: 'number', maximum: 10, inclusive: false, path: [], message: 'Invalid input', input: 10 }),
      issueText({ code: 'too_small', origin: 'array', minimum: 1, path: [], message: 'Invalid input', input: [] }),
      issueText({ code: 'invalid_format', format: 'url', path: [], message: 'Invalid input', input: 'x' }),
      issueText({ code: 'invalid_union', errors: [], path: [], message: 'Invalid input', input: 1 }),
    ];
    for (const phrase of phrases) expect(plainError(phrase), phrase).not.toBe(phrase);
  });
});

describe('text a database could not store alike (core/fields.ts)', () => {
  for (const lang of ['en', 'es']) {
    it(`says control characters, lone surrogates and noncharacters in words (${lang})`, async () => {
      const { refusalText } = await wordsIn(lang);
      for (const text of ['a\u0000b', 'a\u0090b', 'a\ud800b', 'a\ufffeb']) {
        expect(refusalText(refusal(ReviewInput, { ...review, text }), label)).toBe(`[text]: ${LOCALES[lang]!.pluralErrOddCharacters!.message}`);
      }
    });
  }
});

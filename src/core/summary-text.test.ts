import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodedSummary } from './summary-codec.js';
import * as z from 'zod/mini';
import { DATE_SOURCE, EncodedSummaryText, keyOfSummaryText, readSummaryText, splitSyncBody, summaryText, summaryTextHasSuspects } from './summary-text.js';

const int0 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 999_999_999_999_999 }));
const int1 = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 999_999_999_999_999 }));
const rating = fc.oneof(fc.constant(0), fc.tuple(int1, int1));
const hourly = fc.oneof(fc.constant(0), fc.tuple(fc.constantFrom('USD', 'GBP', 'EUR'), int0, int1, int0));
const window = fc.tuple(int1, rating, rating, rating, rating, hourly, int0, int0, fc.option(int0, { nil: null }));
const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** Names with every kind of character JSON escapes, long ones included. */
const text = (min: number, max: number) =>
  fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
    fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', 'é', '/', '\ud800', '\udc00'), minLength: min, maxLength: max }),
  );
const key = fc.oneof(
  fc.stringMatching(/^mturk:A[0-9A-Z]{11,20}$/),
  fc.stringMatching(/^prolific:[0-9a-f]{24}$/),
  fc.stringMatching(/^prolific-name:[A-Za-z0-9%._~!*'()-]{1,150}$/),
);
const suspect = fc.tuple(text(1, 64), fc.constantFrom(1, 2), int0, date);
const row = fc
  .tuple(
    key,
    text(0, 200),
    fc.oneof(fc.constant(0), fc.constant(1), window),
    fc.oneof(fc.constant(0), window),
    fc.tuple(int0, fc.option(date, { nil: null }), fc.constantFrom(0, 1)),
    fc.tuple(int0, int0, int0, int0),
    fc.constantFrom(0, 1),
    int0,
    fc.option(fc.array(suspect, { minLength: 1, maxLength: 50 }), { nil: undefined }),
  )
  .map(([k, name, recent, allTime, susp, issues, phishing, held, suspects]) => {
    const r: unknown[] = [k, name, recent, allTime, susp, issues, phishing, held];
    if (suspects) r.push(suspects);
    return r as EncodedSummary;
  });

describe('the summary row text grammar', () => {
  it('accepts the canonical text of every row the tuple schema accepts (and only those)', () => {
    fc.assert(
      fc.property(row, (r) => {
        const asTuple = EncodedSummary.safeParse(r).success;
        expect(EncodedSummaryText.safeParse(summaryText(r)).success).toBe(asTuple);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts no text whose row the tuple schema refuses or that is not its own canonical text', () => {
    // Mutations of valid rows' texts: a character replaced, inserted or removed anywhere.
    const mutated = fc.tuple(row, fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.constantFrom(...'0123456789[],"\\-:.ae nul1'.split(''))).map(([r, at, how, c]) => {
      const t = summaryText(r);
      const i = at % (t.length + 1);
      return how === 'replace' ? t.slice(0, i) + c + t.slice(i + 1) : how === 'insert' ? t.slice(0, i) + c + t.slice(i) : t.slice(0, i) + t.slice(i + 1);
    });
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (t) => {
        if (!EncodedSummaryText.safeParse(t).success) return;
        accepted += 1;
        const parsed = readSummaryText(t);
        expect(EncodedSummary.safeParse(parsed).success).toBe(true);
        expect(summaryText(parsed)).toBe(t);
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(100); // the property was really exercised
  });

  it('refuses what the tuple schema refuses, by name', () => {
    const ok = summaryText(['mturk:A1B2C3D4E5F6G7', 'Lab "x"', 0, 0, [0, null, 0], [0, 0, 0, 0], 0, 0]);
    expect(EncodedSummaryText.safeParse(ok).success).toBe(true);
    for (const bad of [
      ok.replace('mturk:A1', 'mturk:a1'), // not a key
      ok.replace('[0,null,0]', '[0,"2026-02-30",0]'), // no such day
      ok.replace('[0,null,0]', '[-1,null,0]'),
      ok.replace('[0,0,0,0]', '[0,0,0]'),
      ok.replace(',0,0]', ',0,0.5]'),
      ok.replace(',0,0]', ',0,0,[]]'), // suspect list present but empty
      ok.replace('Lab', 'x'.repeat(201)),
      ok.replace('Lab', '\\/'), // not how JSON.stringify writes '/': not canonical
      ok.replace(',0,0]', ', 0,0]'),
      `${ok} `,
    ]) {
      expect(EncodedSummaryText.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('checks dates with z.iso.date()’s own pattern', () => {
    expect(`^${DATE_SOURCE}$`).toBe(z.regexes.date.source);
  });

  it('reads a row text’s key and whether it has suspect tasks without parsing it', () => {
    fc.assert(
      fc.property(row, (r) => {
        const t = summaryText(r);
        expect(keyOfSummaryText(t)).toBe(r[0]);
        expect(summaryTextHasSuspects(t)).toBe(r.length === 9);
      }),
    );
  });
});

describe('splitting a sync body into row texts', () => {
  const head = '{"format":1,"version":"abcd.7","rulesVersion":1,"bucketPrefixLength":0,"checksum":{"rows":2,"sum":5}';

  it('cuts out exactly the rows a JSON parse finds, and parses the rest', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const valid = rows.filter((r) => EncodedSummary.safeParse(r).success);
        const texts = valid.map(summaryText);
        const body = `${head},"rows":[${texts.join(',')}],"more":false}`;
        const split = splitSyncBody(body);
        expect(split).not.toBeNull();
        expect(split!.rows).toEqual(texts);
        expect(split!.rest).toEqual({ ...JSON.parse(body), rows: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('gives up (null) on a body with a row outside the grammar or laid out otherwise', () => {
    const good = summaryText(['mturk:A1B2C3D4E5F6G7', 'n', 0, 0, [0, null, 0], [0, 0, 0, 0], 0, 0]);
    expect(splitSyncBody(`${head},"rows":[${good},${good}]}`)?.rows).toHaveLength(2);
    expect(splitSyncBody(`${head},"rows":[${good},${good.replace('"n"', '7')}]}`)).toBeNull();
    expect(splitSyncBody(`${head},"rows":[ ${good}]}`)).toBeNull();
    expect(splitSyncBody(`${head},"rows":[${good},]}`)).toBeNull();
    expect(splitSyncBody(`${head},"rows":[${good}]`)).toBeNull(); // truncated
    expect(splitSyncBody(`${head}}`)).toBeNull();
  });
});

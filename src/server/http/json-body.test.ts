/**
 * The pre-parse check must refuse only what it says (depth, repeated and forbidden keys)
 * and never a valid body whose *text* merely looks like those: brackets, quotes and
 * backslashes inside strings, the same key in different objects, keys that only contain
 * `__proto__`. A property compares it with JSON.parse on generated values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { MAX_JSON_DEPTH, checkJsonShape } from './json-body.js';

function refusal(text: string): { code: string; field: string | undefined } | null {
  try {
    checkJsonShape(text);
    return null;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { code: err.code, field: err.field };
  }
}

describe('checkJsonShape', () => {
  it('lets through text that only looks deep or repeated', () => {
    for (const text of [
      JSON.stringify({ text: '['.repeat(100) + '{'.repeat(100) }),
      JSON.stringify({ text: 'a "quoted" \\ back\\slash \\" and "a":1,"a":2' }),
      JSON.stringify({ a: { x: 1 }, b: { x: 2 }, c: [{ x: 1 }, { x: 2 }] }),
      JSON.stringify({ 'not __proto__': 1, __proto__x: 2, Constructor: 3 }),
      JSON.stringify({ 'a,b': 1, 'a:b': 2, '{': 3, '}': 4 }),
      '{"a" : 1 , "b" :\n[ "a" , "a" ] }',
    ]) {
      expect(refusal(text), text).toBeNull();
    }
  });

  it('refuses depth past the limit, naming where', () => {
    expect(refusal('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeNull();
    expect(refusal('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toEqual({ code: 'too_deep', field: '(body)' });
    expect(refusal(`{"a":{"b":${'['.repeat(MAX_JSON_DEPTH)}}}`)).toEqual({ code: 'too_deep', field: 'a.b' });
  });

  it('refuses a key twice in one object, however it is escaped, naming its path', () => {
    expect(refusal('{"a":1,"a":2}')).toEqual({ code: 'invalid_json', field: 'a' });
    expect(refusal('{"a":1,"\\u0061":2}')).toEqual({ code: 'invalid_json', field: 'a' });
    expect(refusal('{"r":{"x":{"y":1},"x":2}}')).toEqual({ code: 'invalid_json', field: 'r.x' });
    expect(refusal('{"r":[{"x":1,"x":1}]}')).toEqual({ code: 'invalid_json', field: 'r.x' });
  });

  it('refuses __proto__, constructor and prototype as keys, escaped or not', () => {
    expect(refusal('{"__proto__":{}}')).toEqual({ code: 'invalid_json', field: '__proto__' });
    expect(refusal('{"a":{"\\u005f_proto__":1}}')).toEqual({ code: 'invalid_json', field: 'a.__proto__' });
    expect(refusal('{"a":[{"constructor":1}]}')).toEqual({ code: 'invalid_json', field: 'a.constructor' });
    expect(refusal('{"prototype":1}')).toEqual({ code: 'invalid_json', field: 'prototype' });
  });

  it('agrees with JSON.parse on generated values: refuses exactly the too deep ones (keys are unique in generated objects)', () => {
    const depth = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
    const safeKeys = fc.string({ unit: 'binary', maxLength: 8 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.jsonValue({ maxDepth: 0 }), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(safeKeys, tie('tree'), { maxKeys: 3 })),
    }));
    // Wrapped in 0–30 more lists or objects, so both sides of the limit come up often.
    const wrapped = fc.tuple(tree, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 2 ** 30 }), safeKeys).map(([value, times, kinds, key]) => {
      let out: unknown = value;
      for (let i = 0; i < times; i += 1) out = (kinds >> i) & 1 ? [out] : { [key]: out };
      return out;
    });
    const seen = { refused: 0, passed: 0 };
    fc.assert(
      fc.property(wrapped, (value) => {
        const r = refusal(JSON.stringify(value));
        expect(r === null).toBe(depth(value) <= MAX_JSON_DEPTH);
        seen[r === null ? 'passed' : 'refused'] += 1;
      }),
      { numRuns: 2000 },
    );
    expect(seen.refused).toBeGreaterThan(200);
    expect(seen.passed).toBeGreaterThan(200);
  });
});

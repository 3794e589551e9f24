/**
 * fast-check generators for hostile input (issue 14): text from every Unicode plane with
 * the characters databases disagree on, bodies nested past any sane depth, keys repeated or
 * named `__proto__`, and bytes that are not UTF-8. Used by bad-input.property.test.ts.
 */
import fc from 'fast-check';

/** Characters that used to get different answers on SQLite and PostgreSQL, or none at all. */
const TROUBLE = [
  '\u0000', '\u0007', '\u0009', '\u000a', '\u000b', '\u000d', '\u001b', '\u001f', '\u007f', '\u0085', '\u009b', '\u009f',
  '\ud800', '\udbff', '\udc00', '\udfff',
  '\ufdd0', '\ufdef', '\ufffe', '\uffff', '\u{1fffe}', '\u{10ffff}',
  '\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\ufeff', '\u200b', '\u00a0',
  '\u0301', '\u030a', '\u1100', '\u1161', '\u11a8', 'e\u0301', 'A\u030a', '\u212b',
  '\ufffd', '\u{1f600}', '\u{1f469}\u200d\u{1f4bb}', '\u{e0041}', '\u{f0000}', '\u{10fffd}', '\u{20000}', '\u{30000}',
];

/** Any code point of any plane — surrogate halves included, alone, as a JavaScript string can hold them. */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp)));
/** A code point from one plane, so every plane gets its share (plane 0 is not most of them by chance). */
const byPlane = fc.tuple(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 0xffff })).map(([plane, low]) => {
  const cp = plane * 0x10000 + low;
  return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
});

const hostileChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TROUBLE) },
  { weight: 2, arbitrary: byPlane },
  { weight: 1, arbitrary: anyCodePoint },
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', ' ', 'é', '中') },
);

/** Text mixing ordinary letters with every kind of trouble, up to `maxLength` characters. */
export const hostileText = (maxLength = 40) => fc.array(hostileChar, { minLength: 1, maxLength }).map((parts) => parts.join(''));

/** Every path to a value in a JSON object (objects walked, arrays kept whole). */
function valuePaths(valid: Record<string, unknown>): string[][] {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (path.length) paths.push(path);
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(valid, []);
  return paths;
}

/** The objects in a body (the root and every nested object), by path. */
function objectPaths(valid: Record<string, unknown>): string[][] {
  return [[], ...valuePaths(valid).filter((p) => isObject(at(valid, p)))];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const at = (value: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);

/** A marker key JSON.stringify writes as `"\u0000MARK"`, swapped afterwards for a key JSON.stringify would not repeat. */
const MARK = '\u0000MARK';
function withExtraKey(valid: Record<string, unknown>, objectPath: string[], key: string, value: unknown): string {
  const copy = structuredClone(valid);
  (at(copy, objectPath) as Record<string, unknown>)[MARK] = value;
  return JSON.stringify(copy).replace(JSON.stringify(MARK), JSON.stringify(key));
}

/** A valid body with one object's key written twice (the second value anything), however the key is escaped. */
function duplicateKeyBody(valid: Record<string, unknown>) {
  return fc
    .tuple(fc.constantFrom(...objectPaths(valid).filter((p) => Object.keys(at(valid, p) as object).length > 0)), fc.jsonValue({ maxDepth: 1 }), fc.boolean())
    .chain(([path, value, escaped]) =>
      fc.constantFrom(...Object.keys(at(valid, path) as object)).map((key) => {
        const text = withExtraKey(valid, path, key, value);
        // `\u0061` is "a": the same key to JSON.parse, a different one to a naive text search.
        return escaped ? text.replace(`${JSON.stringify(key)}:`, `"\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}":`) : text;
      }),
    );
}

/** A valid body with `__proto__`, `constructor` or `prototype` as a key of one of its objects. */
function forbiddenKeyBody(valid: Record<string, unknown>) {
  return fc
    .tuple(fc.constantFrom(...objectPaths(valid)), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }))
    .map(([path, key, value]) => withExtraKey(valid, path, key, value));
}

/** A valid body with one value (or the whole body) replaced by lists/objects nested 17 to 3,000 deep. */
function deepBody(valid: Record<string, unknown>) {
  const nesting = fc.tuple(fc.integer({ min: 17, max: 3000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom('1', '"x"', '[]', '{}', 'null')).map(([depth, open, core]) =>
    open.repeat(depth) + core + (open === '[' ? ']' : '}').repeat(depth),
  );
  return fc.tuple(fc.option(fc.constantFrom(...valuePaths(valid)), { nil: null }), nesting).map(([path, nested]) => {
    if (path === null) return nested;
    const copy = structuredClone(valid);
    const parent = at(copy, path.slice(0, -1)) as Record<string, unknown>;
    parent[path.at(-1)!] = MARK;
    return JSON.stringify(copy).replace(JSON.stringify(MARK), nested);
  });
}

/** Byte sequences that are not UTF-8: stray continuation, overlong, encoded surrogate, past U+10FFFF, truncated, 0xFF. */
const NOT_UTF8: number[][] = [[0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe0, 0xa4], [0xf0, 0x9f, 0x98], [0xfe], [0xff]];

/** A valid body's bytes with an invalid UTF-8 sequence put inside one of its strings, or the body sent as UTF-16. */
function brokenEncodingBody(valid: Record<string, unknown>) {
  const text = JSON.stringify(valid);
  const stringStarts = [...text.matchAll(/:"/g)].map((m) => m.index! + 2);
  // A body without a string value: the bytes go just inside the braces (still not UTF-8).
  if (stringStarts.length === 0) stringStarts.push(1);
  const inside = fc.tuple(fc.constantFrom(...stringStarts), fc.constantFrom(...NOT_UTF8)).map(([offset, bad]) => {
    const bytes = Buffer.from(text, 'utf8');
    const at = Buffer.byteLength(text.slice(0, offset));
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
  });
  const utf16 = fc.constantFrom(Buffer.from(text, 'utf16le'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.from(`\ufeff${text}`, 'utf16le').swap16());
  return fc.oneof({ weight: 4, arbitrary: inside }, { weight: 1, arbitrary: utf16 });
}

/** Bodies every endpoint must refuse whatever its schema says: the shape is wrong before the content is read. */
export function malformedBodies(valid: Record<string, unknown>) {
  return fc.oneof(
    deepBody(valid).map((t) => Buffer.from(t)),
    duplicateKeyBody(valid).map((t) => Buffer.from(t)),
    forbiddenKeyBody(valid).map((t) => Buffer.from(t)),
    brokenEncodingBody(valid),
  );
}

/** A valid body with one string value replaced by hostile text (for comparing the server with the shared schema). */
export function withHostileText(valid: Record<string, unknown>, paths: string[][]) {
  return fc.tuple(fc.constantFrom(...paths), hostileText()).map(([path, text]) => {
    const copy = structuredClone(valid);
    (at(copy, path.slice(0, -1)) as Record<string, unknown>)[path.at(-1)!] = text;
    return { body: copy, path, text };
  });
}

/**
 * Every table's rows, for "no request changed a row" — less `job_runs`, the periodic jobs'
 * own bookkeeping, which the server writes on a timer whatever the requests are.
 */
export async function dataTables(db: { dumpTables(): Promise<Record<string, string[]>> }): Promise<Record<string, string[]>> {
  const { job_runs: _jobs, ...tables } = await db.dumpTables();
  return tables;
}

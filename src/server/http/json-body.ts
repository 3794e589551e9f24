/**
 * Reading a JSON body before anything walks it. Fastify's own parser hands the text to
 * JSON.parse and the result to the route, so a 32 KB body of `[[[[…]]]]` (16,000 deep)
 * reached code that recurses — JSON.stringify for the idempotency hash overflowed the stack,
 * a 500 — a duplicated key silently won over the first, and bytes that are not UTF-8 became
 * U+FFFD. Here the raw bytes are checked in one linear pass first:
 *
 * - they must be UTF-8 (RFC 8259 allows nothing else; a `charset` other than utf-8 is a 415);
 * - nesting stops at MAX_JSON_DEPTH (our deepest body, a rules publication, is 4 deep);
 * - no object repeats a key (parsers disagree on which one wins, so it is refused, not guessed);
 * - no key is `__proto__`, `constructor` or `prototype` (never a field of ours, and a classic
 *   prototype-pollution vector for whatever handles the object next).
 *
 * Only then does JSON.parse run. Every refusal is an HttpError naming the field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

export const MAX_JSON_DEPTH = 16;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Frame {
  kind: 'object' | 'array';
  /** The field path of this container, for naming the field in a refusal. */
  path: string;
  keys: Set<string> | null;
  expectKey: boolean;
  lastKey: string | null;
}

function joinPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** The index just after the string opening at `start`: the next quote not escaped by an odd run of backslashes. */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * One pass over the text, tracking only containers, strings and keys — not a JSON parser
 * (JSON.parse still decides validity); on malformed text it just stops being precise.
 */
export function checkJsonShape(text: string, maxDepth = MAX_JSON_DEPTH): void {
  const stack: Frame[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      i = stringEnd(text, i);
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        const raw = text.slice(start, i);
        let key: string;
        try {
          key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        } catch {
          return; // a broken string: JSON.parse on the whole body will say so
        }
        const field = joinPath(top.path, key);
        if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, 'invalid_json', `${field}: "${key}" is not allowed as a key`, field);
        if (top.keys!.has(key)) throw new HttpError(400, 'invalid_json', `${field}: the key appears twice in one object`, field);
        top.keys!.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = stack.at(-1);
      const path = parent === undefined ? '' : parent.kind === 'object' ? joinPath(parent.path, parent.lastKey ?? '') : parent.path;
      if (stack.length >= maxDepth) {
        throw new HttpError(400, 'too_deep', `${path || '(body)'}: nested more than ${maxDepth} levels deep`, path || '(body)');
      }
      stack.push(c === 0x7b ? { kind: 'object', path, keys: new Set(), expectKey: true, lastKey: null } : { kind: 'array', path, keys: null, expectKey: false, lastKey: null });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectKey = true;
    }
    i += 1;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `application/json` with no charset or utf-8; anything else is not JSON as RFC 8259 defines it. */
function checkCharset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(415, 'unsupported_media_type', `Content-Type: JSON is UTF-8; charset=${charset.slice(0, 40)} is not accepted`, 'Content-Type');
  }
}

function parseJsonBody(request: FastifyRequest, bytes: Buffer): unknown {
  checkCharset(request.headers['content-type']);
  if (bytes.length === 0) throw new HttpError(400, 'invalid_json', 'the body is empty; send a JSON object', '(body)');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not UTF-8 text', '(body)');
  }
  checkJsonShape(text);
  try {
    return JSON.parse(text);
  } catch {
    // Never the parser's message: it quotes the body.
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON', '(body)');
  }
}

/**
 * Replaces Fastify's JSON parser, and refuses encoded bodies: a gzip body would otherwise
 * be read as (invalid) JSON, and a body merely labelled gzip would be taken as plain text.
 */
export function installJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(request, body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding)) {
      throw new HttpError(415, 'unsupported_media_type', 'Content-Encoding: send the body uncompressed', 'Content-Encoding');
    }
  });
}

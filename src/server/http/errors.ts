/**
 * Every refusal is a JSON body naming the field: `{"error","field","message"}`.
 * Fastify's own errors (bad JSON, body too large, wrong content type) are mapped to the
 * same shape (framework-errors.ts: those raised before a route runs; json-body.ts: the body);
 * anything unexpected is a bare 500 whose log line carries no request data.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as z from 'zod/mini';
import { describeIssues, firstField } from '../../core/validation.js';
import { DomainError } from '../storage/errors.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Parse with a shared zod/mini schema; a failure is a 400 naming the field (prefixed when given). */
export function parseOr400<S extends z.ZodMiniType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  return parseIn(schema, value, '(body)', prefix);
}

/** The query string: a problem with the whole of it (an unknown parameter) is named `(query)`, not `(body)`. */
export function parseQuery<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  return parseIn(schema, value, '(query)');
}

/** Path parameters: each named by its own name (`id`, `key`); the whole of them `(url)`. */
export function parseParams<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  return parseIn(schema, value, '(url)');
}

function parseIn<S extends z.ZodMiniType>(schema: S, value: unknown, root: string, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  const field = firstField(result.error);
  const named = prefix ? (field === '(body)' ? prefix : `${prefix}.${field}`) : field === '(body)' ? root : field;
  const described = describeIssues(result.error);
  const message = prefix ? `${prefix}: ${described}` : root === '(body)' ? described : described.replaceAll('(body)', root);
  throw new HttpError(400, 'invalid_request', message, named);
}

/** Fastify's client errors, by code: what to tell the client (never the parser's text, which quotes the body). */
const FASTIFY_CLIENT_ERRORS: Record<string, { error: string; message: string; field?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { error: 'invalid_json', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { error: 'invalid_json', message: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_BODY_TOO_LARGE: { error: 'body_too_large', message: 'the body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { error: 'unsupported_media_type', message: 'send Content-Type: application/json', field: 'Content-Type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { error: 'invalid_request', message: 'Content-Length does not match the body', field: 'Content-Length' },
  FST_ERR_CTP_INVALID_TYPE: { error: 'invalid_request', message: 'malformed Content-Type', field: 'Content-Type' },
};

/** Messages and fields can carry the client's own key names: kept short, cut between code points. */
const MAX_ERROR_TEXT = 300;
function short(text: string): string {
  if (text.length <= MAX_ERROR_TEXT) return text;
  const cut = text.slice(0, MAX_ERROR_TEXT);
  // Not between the halves of a surrogate pair.
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

export function sendError(reply: FastifyReply, status: number, error: string, message: string, field?: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send(field === undefined ? { error, message: short(message) } : { error, field: short(field), message: short(message) });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      reply.headers(err.headers);
      return sendError(reply, err.status, err.code, err.message, err.field);
    }
    if (err instanceof DomainError) return sendError(reply, err.status, err.code, err.message, err.field);
    const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (known) return sendError(reply, err.statusCode ?? 400, known.error, known.message, known.field ?? '(body)');
    if (err instanceof SyntaxError || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)) {
      // Other client errors Fastify raises (proto poisoning, bad URL encoding…).
      return sendError(reply, err.statusCode ?? 400, 'invalid_request', 'the request is malformed', '(body)');
    }
    // Only the error's kind and stack frames: messages can quote values (a SQL constraint, a body).
    request.log.error({ err: { type: err.name, code: err.code, stack: err.stack?.split('\n').slice(1, 8).join('\n') } }, 'request failed');
    return sendError(reply, 500, 'internal_error', 'something went wrong on the server');
  });
}

/**
 * Refusals made before a route runs — by Node's HTTP parser or by Fastify's router — in
 * our error shape, `{"error","field","message"}`, instead of Fastify's `{"statusCode",…}`
 * or Node's bare 400. `field` names the part of the request that was wrong:
 * `(url)`, `(method)`, `(headers)` or `(request)` (the request line itself).
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/** Longer than any path parameter we take (a requester key is at most 170), so the route's own schema names it. */
export const MAX_PARAM_LENGTH = 1024;

/** Fastify's `frameworkErrors`: a path that is not valid %-encoding, or a parameter past MAX_PARAM_LENGTH. */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendError(reply, 414, 'uri_too_long', `a part of the path is longer than ${MAX_PARAM_LENGTH} characters`, '(url)');
  } else if (err.code === 'FST_ERR_BAD_URL') {
    // Never the path itself: it is the client's text, and can be long.
    void sendError(reply, 400, 'invalid_request', 'the path is not valid %-encoded UTF-8', '(url)');
  } else {
    void sendError(reply, 400, 'invalid_request', 'the request is malformed', '(request)');
  }
}

/** What Node's HTTP parser refused, said in our shape (the connection is then closed, as Node does). */
function clientErrorReply(code: string | undefined): { status: number; error: string; field: string; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, error: 'headers_too_large', field: '(headers)', message: 'the request line and headers are too large (URL included)' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { status: 408, error: 'request_timeout', field: '(request)', message: 'the request took too long to arrive' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, error: 'invalid_request', field: '(method)', message: 'not an HTTP method' };
    case 'HPE_INVALID_URL':
      return { status: 400, error: 'invalid_request', field: '(url)', message: 'not a valid request URL' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { status: 400, error: 'invalid_request', field: 'Content-Length', message: 'Content-Length is invalid or conflicts with Transfer-Encoding' };
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return { status: 400, error: 'invalid_request', field: 'Transfer-Encoding', message: 'Transfer-Encoding is invalid or sent with Content-Length' };
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
      return { status: 400, error: 'invalid_request', field: '(request)', message: 'the request line is not "METHOD /path HTTP/1.1"' };
    case 'HPE_INVALID_HEADER_TOKEN':
      return { status: 400, error: 'invalid_request', field: '(headers)', message: 'a header is malformed' };
    default:
      return { status: 400, error: 'invalid_request', field: '(request)', message: 'the request is malformed' };
  }
}

export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, error, field, message } = clientErrorReply(err.code);
    const body = JSON.stringify({ error, field, message });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Which methods each route path answers, so an unknown method on a known path is a 405
 * with `Allow` (and `field: "(method)"`), and only an unknown path a 404.
 */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];
  private readonly byUrl = new Map<string, Set<string>>();

  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      // Wildcards (CORS preflight's `OPTIONS *`, static files) are catch-alls, not paths a client names.
      if (route.url.includes('*')) return;
      let methods = this.byUrl.get(route.url);
      if (!methods) {
        methods = new Set();
        this.byUrl.set(route.url, methods);
        // `:name` matches one path segment; everything else is literal.
        const source = route.url
          .split('/')
          .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/');
        this.routes.push({ pattern: new RegExp(`^${source}$`), methods });
      }
      for (const m of [route.method].flat()) methods.add(m);
    });
  }

  /** The methods allowed on this path, or null when no route has the path. */
  allowed(path: string): string[] | null {
    const found = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) route.methods.forEach((m) => found.add(m));
    return found.size ? [...found].sort() : null;
  }
}

/**
 * HTTP/1.1 requires a Host header; Node checks it itself (`requireHostHeader`) but answers
 * with an empty 400, so that check is turned off in app.ts and made here, in our shape.
 */
export function installHostCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      return sendError(reply, 400, 'invalid_request', 'HTTP/1.1 needs a Host header', 'Host');
    }
  });
}

export function installNotFound(app: FastifyInstance, routes: RouteMethods): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = routes.allowed(path);
    if (allowed) {
      return sendError(reply.header('allow', allowed.join(', ')), 405, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(' or ')}`, '(method)');
    }
    // The raw path (still %-encoded, so plain ASCII), cut short: it is the client's text.
    return sendError(reply, 404, 'not_found', `no route ${request.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}`, '(url)');
  });
}

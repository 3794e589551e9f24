/**
 * Serves the moderation page (built by `npm run build` into dist/moderation) at /moderate.
 * Same origin as the API, so the page needs no CORS; strict CSP, no framing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../http/errors.js';

const DEFAULT_MODERATION_PAGE_DIR = process.env.LANTERN_DIST
  ? resolve(process.env.LANTERN_DIST, 'moderation')
  : resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/moderation');

const FILES: Record<string, string> = {
  'moderation.js': 'text/javascript; charset=utf-8',
  'moderation.css': 'text/css; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function moderationPage(app: FastifyInstance, dir: string = DEFAULT_MODERATION_PAGE_DIR): void {
  const read = (file: string): Buffer | null => {
    const path = join(dir, file);
    return existsSync(path) ? readFileSync(path) : null;
  };
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    const html = read('index.html');
    if (!html) return reply.code(503).type('text/plain; charset=utf-8').send('The moderation page is not built: run "npm run build".');
    return reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(html);
  };
  app.get('/moderate', page);
  app.get('/moderate/', page);
  app.get('/moderate/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const type = FILES[file];
    const body = type ? read(file) : null;
    if (!type || !body) return sendError(reply, 404, 'not_found', 'no such file', 'file');
    return reply.headers(SECURITY_HEADERS).type(type).send(body);
  });
}

/**
 * The background's only way to the network: requests to the configured Lantern server.
 * No cookies, no referrer; errors come back as `ServerError` with the field the server named.
 */
import { ApiError } from '../core/sync-protocol.js';
import { getSettings } from './settings.js';

export class ServerError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly field: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** Worth retrying later: the server was down, busy or failing — not a refusal of this input. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

async function serverUrl(): Promise<string> {
  const { serverUrl: url } = await getSettings();
  if (!url) throw new ServerError('No server is set: choose one on the options page.', 0, null, 'no_server');
  return url.replace(/\/+$/, '');
}

export async function callServer(
  path: string,
  init: { method?: string; body?: unknown; secret?: string; idempotencyKey?: string } = {},
): Promise<Response> {
  const base = await serverUrl();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.secret) headers.authorization = `Bearer ${init.secret}`;
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
  } catch {
    throw new ServerError(`The server at ${base} could not be reached.`, 0);
  }
  if (!response.ok && response.status !== 304) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: keep the status only
    }
    const parsed = ApiError.safeParse(body);
    const message = parsed.success ? parsed.data.message : `The server answered ${response.status}.`;
    throw new ServerError(message, response.status, parsed.success ? (parsed.data.field ?? null) : null, parsed.success ? parsed.data.error : null);
  }
  return response;
}

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new ServerError('The server sent a body that is not JSON.', response.status, null, 'malformed');
  }
}

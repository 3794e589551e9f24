/**
 * The moderation page's client for /v1/moderation/...: same origin, the secret in a
 * header (never a cookie), JSON only. The secret lives in this tab's sessionStorage.
 * Endpoints are named from the catalogue (core/moderation-endpoints.ts), which gives their
 * method and path; every response is checked against the catalogue's schema before the
 * page uses it.
 */
import {
  MODERATION_ENDPOINTS,
  MODERATION_PREFIX,
  pathOf,
  type BodyInputOf,
  type EndpointName,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../core/moderation-endpoints.js';
import { describeIssues } from '../core/validation.js';

const SECRET_KEY = 'lantern-moderator-secret';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function storedSecret(): string | null {
  return sessionStorage.getItem(SECRET_KEY);
}
export function storeSecret(secret: string | null): void {
  if (secret === null) sessionStorage.removeItem(SECRET_KEY);
  else sessionStorage.setItem(SECRET_KEY, secret);
}

/** SHA-256 hex of the secret: the account reference an admin grants a role to. */
export async function accountReference(secret: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null; // not a secure context (plain http to a remote host)
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What one endpoint is called with: its path params, its query (values as the page has them), its body. */
export interface CallInput<N extends EndpointName> {
  params?: ParamsOf<N>;
  /** Only the endpoint's own query fields; numbers are sent as text, empty values not at all. */
  query?: { [K in keyof QueryOf<N>]?: string | number | null | undefined };
  body?: BodyInputOf<N>;
}

export async function call<N extends EndpointName>(secret: string, name: N, input: CallInput<N> = {}): Promise<ResponseOf<N>> {
  const endpoint = MODERATION_ENDPOINTS[name];
  const path = pathOf(endpoint.path, (input.params ?? {}) as Record<string, string>) + query((input.query ?? {}) as Record<string, string | number | undefined | null>);
  const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
  if (input.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${MODERATION_PREFIX}${path}`, {
      method: endpoint.method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  const json = (await response.json().catch(() => null)) as { error?: string; message?: string; field?: string } | null;
  if (!response.ok) throw new ApiError(response.status, json?.error ?? 'error', json?.message ?? `HTTP ${response.status}`, json?.field);
  const checked = endpoint.response.safeParse(json);
  if (!checked.success) throw new ApiError(response.status, 'bad_response', `The server's answer to ${name} was not understood: ${describeIssues(checked.error)}`);
  return checked.data as ResponseOf<N>;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The moderation page's client for /v1/moderation/...: same origin, the secret in a
 * header (never a cookie), JSON only. The secret lives in this tab's sessionStorage.
 */
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

export async function call<T>(secret: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/v1/moderation${path}`, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  const json = (await response.json().catch(() => null)) as { error?: string; message?: string; field?: string } | null;
  if (!response.ok) throw new ApiError(response.status, json?.error ?? 'error', json?.message ?? `HTTP ${response.status}`, json?.field);
  return json as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

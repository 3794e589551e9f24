/**
 * The worker's pseudonymous account: a random secret made by the server, kept here in
 * extension storage. The recovery code is the secret itself; whoever holds it can
 * write as this account, so it is shown only on request.
 */
import browser from 'webextension-polyfill';
import { AccountCreated } from '../core/sync-protocol.js';
import { callServer, readJson, ServerError } from './server-api.js';
import { readAccount } from './stored-state/records.js';
import { localStateReady } from './stored-state/upgrade.js';

export async function getSecret(): Promise<string | null> {
  await localStateReady();
  const { account } = await browser.storage.local.get('account');
  return readAccount(account).value?.secret ?? null;
}

export async function createAccount(): Promise<string> {
  const response = await callServer('/v1/accounts', { method: 'POST', body: {} });
  const parsed = AccountCreated.safeParse(await readJson(response));
  if (!parsed.success) throw new ServerError('The server sent an account in an unknown form.', response.status);
  await setAccount(parsed.data.accountSecret);
  return parsed.data.accountSecret;
}

/**
 * Stores the account, never before this start's upgrade has met the stored one: the upgrade
 * sets an unreadable account aside and removes it, and would otherwise remove this one.
 */
async function setAccount(secret: string): Promise<void> {
  await localStateReady();
  await browser.storage.local.set({ account: { secret } });
}

/** The secret, creating an account on first use so a worker's first review just works. */
export async function ensureAccount(): Promise<string> {
  return (await getSecret()) ?? createAccount();
}

/** Adopts a recovery code after checking with the server that it names an account. */
export async function restoreAccount(code: string): Promise<void> {
  const secret = code.trim();
  await callServer('/v1/account/reviews', { secret });
  await setAccount(secret);
}

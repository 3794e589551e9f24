/** The sending side of extension messaging: validates before sending and after receiving. */
import browser from 'webextension-polyfill';
import { MESSAGES, Reply, type MessageType, type RequestOf, type ResponseOf } from './messages.js';
import { describeIssues } from './validation.js';

export async function sendMessage<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  const spec = MESSAGES[type];
  const request = spec.request.safeParse(payload);
  if (!request.success) throw new Error(`${type}: ${describeIssues(request.error)}`);
  const raw: unknown = await browser.runtime.sendMessage({ type, payload: request.data });
  const reply = Reply.safeParse(raw);
  if (!reply.success) throw new Error(`${type}: malformed reply from the background`);
  if (!reply.data.ok) throw new Error(`${type}: ${reply.data.error}`);
  const response = spec.response.safeParse(reply.data.value);
  if (!response.success) throw new Error(`${type} reply: ${describeIssues(response.error)}`);
  return response.data as ResponseOf<T>;
}

/**
 * Every message between extension parts, named by direction (as Dark Reader does):
 * `content/…` is sent by content scripts, `ui/…` by the popup and options pages.
 * The background accepts a `content/…` message only from a tab's content script and a
 * `ui/…` message only from an extension page, so a web page that fools a content
 * script still cannot reach the worker's account or settings.
 * Requests and responses are both validated: a bad message is a rejected promise
 * naming the field, never a half-done action.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { Assessment, RequesterSummary } from './schemas.js';

export const LookupResult = z.object({
  key: RequesterKey,
  assessment: Assessment,
  summary: z.nullable(RequesterSummary),
});
export type LookupResult = z.infer<typeof LookupResult>;

export const DIAGNOSTIC_PROBLEMS = ['props_unreadable', 'no_rows', 'row_without_requester', 'adapter_threw'] as const;

export const MESSAGES = {
  /** One per page scan: every requester key on the page, answered from the local replica. */
  'content/lookup': {
    from: 'content',
    request: z.strictObject({ keys: z.array(RequesterKey).check(z.minLength(1), z.maxLength(2000)) }),
    response: z.object({ results: z.array(LookupResult) }),
  },
  /** An adapter met a page it could not read; counted for the options page. */
  'content/diagnostic': {
    from: 'content',
    request: z.strictObject({
      platform: z.enum(['mturk', 'prolific']),
      page: z.string().check(z.maxLength(40)),
      problem: z.enum(DIAGNOSTIC_PROBLEMS),
    }),
    response: z.object({ counted: z.int() }),
  },
} as const;

export type MessageType = keyof typeof MESSAGES;
export type MessageSender = (typeof MESSAGES)[MessageType]['from'];
export type RequestOf<T extends MessageType> = z.input<(typeof MESSAGES)[T]['request']>;
export type ParsedRequestOf<T extends MessageType> = z.output<(typeof MESSAGES)[T]['request']>;
export type ResponseOf<T extends MessageType> = z.output<(typeof MESSAGES)[T]['response']>;

export const MessageEnvelope = z.object({
  type: z.enum(Object.keys(MESSAGES) as [MessageType, ...MessageType[]]),
  payload: z.unknown(),
});

/** What the background sends back: errors travel as data, since a thrown error loses its text. */
export const Reply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type Reply = z.infer<typeof Reply>;

/**
 * How extension pages talk: every request goes through the validated catalogues, and
 * every error comes back as words that name the field in the worker's terms.
 */
import browser from 'webextension-polyfill';
import { TAB_MESSAGES } from '../../core/messages.js';
import { UI_MESSAGES } from '../../core/messages-ui.js';
import { makeSender } from '../../core/messaging.js';
import { refusalText } from '../error-words.js';
import { t } from '../i18n.js';

export const send = makeSender(UI_MESSAGES, (message) => browser.runtime.sendMessage(message));

export function tabSender(tabId: number) {
  return makeSender(TAB_MESSAGES, (message) => browser.tabs.sendMessage(tabId, message));
}

/** Field paths (as zod and the server name them) → the label the worker sees. */
const FIELD_LABELS: Record<string, string> = {
  requester: 'fieldRequester',
  requesterName: 'fieldRequesterName',
  taskId: 'fieldTaskId',
  taskTitle: 'fieldTaskTitle',
  reward: 'fieldReward',
  'reward.cents': 'fieldReward',
  'reward.currency': 'fieldCurrency',
  bonusCents: 'fieldBonus',
  minutes: 'fieldMinutes',
  finished: 'fieldFinished',
  outcome: 'fieldOutcome',
  daysToDecision: 'fieldDaysToDecision',
  'ratings.pay': 'ratingPay',
  'ratings.fairness': 'ratingFairness',
  'ratings.speed': 'ratingSpeed',
  'ratings.communication': 'ratingCommunication',
  text: 'fieldReviewText',
  tags: 'fieldTags',
  tasks: 'fieldTasks',
  suspendedOn: 'fieldSuspendedOn',
  reinstated: 'fieldReinstated',
  note: 'fieldNote',
  reason: 'fieldReason',
  recoveryCode: 'fieldRecoveryCode',
  serverUrl: 'fieldServerUrl',
  key: 'fieldRequester',
  name: 'fieldRequesterName',
  addedOn: 'fieldAddedOn',
};

/** Strips the wrapper parts of a path: `submission.payload.`, list indices become "item n". */
export function fieldPath(path: string): string {
  return path.replace(/^(?:submission\.)?(?:payload\.)?/, '');
}

export function fieldLabel(path: string): string {
  const clean = fieldPath(path);
  const entry = /^entries\.(\d+)\.(.+)$/.exec(clean);
  if (entry) return t('fieldEntry', [String(Number(entry[1]) + 1), fieldLabel(entry[2]!)]);
  const task = /^tasks\.(\d+)(?:\.(.+))?$/.exec(clean);
  if (task) return t('fieldTasks');
  const key = FIELD_LABELS[clean];
  return key ? t(key) : clean;
}

/** "ui/submit: submission.payload.reward.cents: must be at least 0" → "Reward: Enter 0 or more." (ui/error-words.ts). */
export function errorText(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const body = raw.replace(/^(?:ui|tab)\/[a-z-]+(?: reply)?: /, '');
  if (/Could not establish connection|Receiving end does not exist/i.test(body)) return t('errorNoReceiver');
  if (body === 'unknown message type') return t('errorBackgroundNotReady');
  return refusalText(body, fieldLabel);
}

/** The first field a zod-style error line names (for aria-invalid on that field). */
export function errorFieldOf(error: unknown): string | null {
  const raw = error instanceof Error ? error.message : String(error);
  const body = raw.replace(/^(?:ui|tab)\/[a-z-]+(?: reply)?: /, '');
  const match = /^([A-Za-z0-9_.]+): /.exec(body);
  return match ? fieldPath(match[1]!) : null;
}

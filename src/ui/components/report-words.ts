/** A suspension report's size in words ("2 tasks", "1 requester"): the form's summary and the outbox. */
import { tPlural } from '../i18n.js';

export function reportSizeWords(counts: { tasks: number; requesters: number }): [tasks: string, requesters: string] {
  return [tPlural('pluralTasks', counts.tasks), tPlural('pluralRequesters', counts.requesters)];
}

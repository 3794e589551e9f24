/** Replica rows with suspect tasks, for the suspect index's and the matcher's unit tests. */
import type { EncodedSummary } from '../core/summary-codec.js';

export type EncodedSuspect = [taskId: string, state: 1 | 2, accounts: number, since: string];

export const requesterKey = (n: number) => `mturk:A${String(n).padStart(12, '0')}`;

/** A replica row as the server encodes it (no reviews); with suspect tasks when given. */
export function row(n: number, suspects?: EncodedSuspect[]): EncodedSummary {
  const base: EncodedSummary = [requesterKey(n), `Requester ${n}`, 0, 0, [0, null, 0], [0, 0, 0, 0], 0, 0];
  return suspects ? ([...base, suspects] as unknown as EncodedSummary) : base;
}

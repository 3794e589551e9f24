/**
 * The storage's own refusal. Kept apart from storage.ts (the interface) so that the files
 * implementing the interface can throw it without importing the interface that names them.
 */

/** A refusal the client caused (404, 409, 422…): the transaction rolls back, nothing is stored. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

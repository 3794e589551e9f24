/**
 * The background's IndexedDB ('lantern') read and written from a test, as the extension's
 * own code would leave it: an outbox item the server refused, work-log entries the content
 * script recorded. Used where driving the real path would test something else.
 */
import type { Worker } from '@playwright/test';

export async function putRows(background: Worker, store: string, rows: unknown[]): Promise<void> {
  await background.evaluate(
    ([name, values]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('lantern');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(name, 'readwrite');
          for (const value of values) tx.objectStore(name).put(value);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    [store, rows] as const,
  );
}

export async function allRows<T>(background: Worker, store: string): Promise<T[]> {
  return background.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('lantern');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => resolve(request.result as T[]);
          request.onerror = () => reject(request.error);
        };
      }),
    store,
  );
}

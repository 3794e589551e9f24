/**
 * Work that must run one at a time and whose later calls only need "a run that started
 * after I asked" (rebuilds after writes): a call during a run folds into one more run
 * after it, however many calls came. Failures are handed to `onError`, never thrown, so
 * callers can fire and forget. (badge-index.ts has the same loop written out.)
 */
export function coalesced<T>(task: () => Promise<T>, onError: (error: unknown) => void): () => Promise<T | null> {
  let running: Promise<T | null> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let last: T | null = null;
      try {
        do {
          again = false;
          try {
            last = await task();
          } catch (error) {
            onError(error);
          }
        } while (again);
      } finally {
        running = null;
      }
      return last;
    })();
    return running;
  };
}

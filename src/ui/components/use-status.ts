/** `ui/status`, asked about once a second while the page is open (snapshot progress, outbox). */
import { useEffect, useState } from 'preact/hooks';
import type { Status } from '../../core/messages-ui.js';
import { errorText, send } from './send.js';

export function useStatus(intervalMs = 1000) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One request at a time: the next is scheduled after the last answer.
    const tick = async () => {
      try {
        const next = await send('ui/status', {});
        if (!stopped) {
          setStatus(next);
          setError(null);
        }
      } catch (caught) {
        if (!stopped) setError(errorText(caught));
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);
  return { status, error, setStatus };
}

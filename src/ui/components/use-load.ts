/**
 * Loads something for a view when it mounts (and again when `deps` change); an answer that
 * arrives after the view is gone, or after a newer request, is dropped.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './send.js';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ value: T | null; error: string | null }>({ value: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setState({ value, error: null }),
      (error) => live && setState({ value: null, error: errorText(error) }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

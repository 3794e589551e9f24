/**
 * The `notifications` permission is optional (manifest.json): asked only when the worker
 * first wants a notification — a click on "Turn on notifications" in the popup's banner
 * or the options page — because browsers grant optional permissions only on a user gesture.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';

const NOTIFICATIONS = { permissions: ['notifications' as const] };

/** Whether notifications are granted (null while asking), and a request to call from a click handler. */
export function useNotificationPermission(): [granted: boolean | null, request: () => Promise<boolean>] {
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    browser.permissions.contains(NOTIFICATIONS).then(setGranted, () => setGranted(false));
  }, []);
  // Called synchronously in the click handler (no await before it): Firefox drops the gesture otherwise.
  const request = () =>
    browser.permissions.request(NOTIFICATIONS).then(
      (ok) => {
        setGranted(ok);
        return ok;
      },
      () => false,
    );
  return [granted, request];
}

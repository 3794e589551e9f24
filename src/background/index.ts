/**
 * Background entry (service worker in Chrome, event page in Firefox).
 * Listeners are registered synchronously at start-up, as MV3 requires.
 */
import * as replica from './replica.js';
import { listen } from './router.js';

listen();

// For the developer console and end-to-end tests: the same functions sync uses.
Object.assign(globalThis, { lantern: { replica } });

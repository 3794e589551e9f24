/** Builds the extension once before the end-to-end run, so tests load what users load. */
import { build } from '../scripts/build.js';

export default async function globalSetup(): Promise<void> {
  await build({ quiet: true, testHooks: true });
}

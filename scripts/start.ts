/**
 * `npm start`: Lantern's main job. Builds the extension into dist/extension, then runs
 * the reputation server exactly as `npm run server` does (same flags and LANTERN_*
 * variables; SQLite in ./data by default; SIGTERM finishes requests and closes it).
 */
import { build, EXTENSION_DIR } from './build.js';

await build();
console.log(`\nLoad the extension from ${EXTENSION_DIR} (see README: "Loading the extension").`);
await import('../src/server/cli.js');

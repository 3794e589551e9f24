/**
 * `npm start`: Lantern's main job. Builds the extension into dist/extension, pointed at the
 * server this command starts (so a newcomer's first sync needs no typing; a
 * LANTERN_DEFAULT_SERVER already set wins), then runs the reputation server exactly as
 * `npm run server` does (same flags and LANTERN_* variables; SQLite in ./data by default;
 * SIGTERM finishes requests and closes it).
 */
import { build, EXTENSION_DIR } from './build.js';
import { startedServerUrl } from './start-url.js';

const defaultServer = process.env.LANTERN_DEFAULT_SERVER || startedServerUrl(process.argv.slice(2), process.env);
await build({ defaultServer });
console.log(`\nLoad the extension from ${EXTENSION_DIR} (see README: "Loading the extension").`);
console.log(defaultServer ? `It syncs with ${defaultServer} until you set another server in its options.` : 'Set the server address in its options page.');
await import('../src/server/cli.js');

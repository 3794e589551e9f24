/**
 * `npm start`: Lantern's main job. Builds the extension into dist/extension, pointed at the
 * server this command starts (so a newcomer's first sync needs no typing; a
 * LANTERN_DEFAULT_SERVER already set wins), then runs the reputation server exactly as
 * `npm run server` does (same flags and LANTERN_* variables; SQLite in ./data by default;
 * SIGTERM finishes requests and closes it).
 */
import { parseArgs } from 'node:util';
import { build, EXTENSION_DIR } from './build.js';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8787;

/** The address the extension should use for the server cli.ts is about to start, or null when none works. */
export function startedServerUrl(argv: string[], env: NodeJS.ProcessEnv): string | null {
  const { values } = parseArgs({ args: argv, options: { host: { type: 'string' }, port: { type: 'string' } }, strict: false });
  const host = (typeof values.host === 'string' ? values.host : env.LANTERN_HOST) || DEFAULT_HOST;
  const port = Number((typeof values.port === 'string' ? values.port : env.LANTERN_PORT) ?? DEFAULT_PORT);
  // Port 0 is picked at start: unknown here.
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  // Listening on every interface is reachable on loopback; any other host would need
  // https (the extension refuses plain http beyond this machine), which this server doesn't speak.
  const loopback = ['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'].includes(host) ? (host === 'localhost' ? 'localhost' : host === '::1' ? '[::1]' : '127.0.0.1') : null;
  return loopback ? `http://${loopback}:${port}` : null;
}

const defaultServer = process.env.LANTERN_DEFAULT_SERVER || startedServerUrl(process.argv.slice(2), process.env);
await build({ defaultServer });
console.log(`\nLoad the extension from ${EXTENSION_DIR} (see README: "Loading the extension").`);
console.log(defaultServer ? `It syncs with ${defaultServer} until you set another server in its options.` : 'Set the server address in its options page.');
await import('../src/server/cli.js');

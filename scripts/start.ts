/**
 * `npm start`: Lantern's main job. Builds the extension into dist/extension, then runs
 * the reputation server (SQLite in ./data by default) until SIGTERM or Ctrl-C.
 *
 *   LANTERN_HOST, LANTERN_PORT       where to listen (127.0.0.1:8787)
 *   LANTERN_DATABASE                 a SQLite file path, or a postgres:// URL
 */
import { build, EXTENSION_DIR } from './build.js';
import { startServer } from '../src/server/index.js';

await build();
console.log(`\nLoad the extension from ${EXTENSION_DIR} (see README: "Loading the extension").`);

const server = await startServer({
  host: process.env.LANTERN_HOST ?? '127.0.0.1',
  port: Number(process.env.LANTERN_PORT ?? 8787),
  database: process.env.LANTERN_DATABASE ?? './data/lantern.sqlite',
});
console.log(`Lantern server listening on ${server.url} — health at ${server.url}/v1/health`);

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // Finish requests in flight, close the database, then exit.
    void server.close().then(() => process.exit(0));
  });
}

/** The address `npm start` bakes into the extension: the server it is about to start, as the extension may reach it. */
import { parseArgs } from 'node:util';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8787;

/** From the same flags and variables as src/server/cli.ts; null when no address would work. */
export function startedServerUrl(argv: string[], env: NodeJS.ProcessEnv): string | null {
  const { values } = parseArgs({ args: argv, options: { host: { type: 'string' }, port: { type: 'string' } }, strict: false });
  const host = (typeof values.host === 'string' ? values.host : env.LANTERN_HOST) || DEFAULT_HOST;
  const portText = typeof values.port === 'string' ? values.port : env.LANTERN_PORT;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  // Port 0 is picked at start: unknown here.
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  // A server on every interface is reachable on loopback. Any other host would need https
  // (the extension refuses plain http beyond this machine), which this server doesn't speak.
  const loopback: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '127.0.0.1', '127.0.0.1': '127.0.0.1', localhost: 'localhost', '::1': '[::1]' };
  const reach = loopback[host];
  return reach ? `http://${reach}:${port}` : null;
}

/**
 * Structured logs that cannot leak: the request serializer keeps only the method and the
 * route pattern (not the URL, whose path may name a bucket or a review), no headers
 * (they carry secrets), no address and no body. Fastify's per-request logging is off;
 * one line per response is written by the app instead.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'lantern-server' },
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

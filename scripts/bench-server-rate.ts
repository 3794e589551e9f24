/**
 * Latency at a fixed request rate, measured open-loop: request i is due at start + i/rate,
 * and its latency counts from when it was due, so a stalled server cannot hide its
 * queue (autocannon's overallRate sends each second's budget in a burst instead).
 */
import http from 'node:http';

export interface RequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export async function fixedRate(url: string, rate: number, seconds: number, next: () => RequestSpec): Promise<{ p50: number; p99: number; errors: number }> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const spec = next();
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request({ host: hostname, port, method: spec.method, path: spec.path, headers: spec.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 400) errors += 1;
            latencies.push(performance.now() - due);
            resolve();
          });
        });
        req.on('error', () => {
          errors += 1;
          resolve();
        });
        req.end(spec.body);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), errors };
}

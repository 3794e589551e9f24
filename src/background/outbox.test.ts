/**
 * The outbox on fake-indexeddb against the real server (in-process, SQLite), reached
 * through a switchable line (a TCP relay) so the tests can cut it: queued once and
 * delivered once, kept and retried after an outage with its idempotency key (a retry of a
 * request whose answer was lost makes no second review), a refusal kept with the server's
 * words and field and not retried, and a queued item surviving a restart of the worker.
 * The browser APIs it calls are faked in memory (fake-browser.testing.ts).
 */
import 'fake-indexeddb/auto';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SubmissionInput } from '../core/extension-state.js';
import { startTestServer, type TestServer } from '../server/testing/harness.js';

// Imported inside vi.hoisted: the mock below is set up before any import runs.
const fake = await vi.hoisted(async () => ({ ...(await import('./fake-browser.testing.js')).fakeBrowser(), syncs: { asked: 0 } }));
vi.mock('webextension-polyfill', () => ({ default: fake.browser }));
// The sync engine is not under test here (it has its own tests, and its own owner): a
// delivered review only has to ask for a sync, at once.
vi.mock('./sync.js', () => ({ syncAfterNow: async () => void fake.syncs.asked++ }));

/**
 * A TCP relay in front of the server. `up` passes everything; `down` resets every
 * connection (the server unreachable); `answer-lost` passes the request but cuts the
 * connection as the answer starts (the server did the work, the extension never hears).
 */
class Line {
  mode: 'up' | 'down' | 'answer-lost' = 'up';
  private readonly sockets = new Set<net.Socket>();
  private readonly relay = net.createServer((client) => this.connect(client));
  constructor(private readonly target: URL) {}

  async open(): Promise<string> {
    await new Promise<void>((resolve) => this.relay.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.relay.address() as net.AddressInfo).port}`;
  }

  set(mode: Line['mode']): void {
    this.mode = mode;
    // Kept-alive connections would carry on as before: every request starts afresh.
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  close(): Promise<void> {
    this.set('down');
    return new Promise((resolve) => this.relay.close(() => resolve()));
  }

  private connect(client: net.Socket): void {
    if (this.mode === 'down') return void client.resetAndDestroy();
    const server = net.connect(Number(this.target.port), this.target.hostname);
    this.sockets.add(client).add(server);
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
    client.pipe(server);
    if (this.mode === 'answer-lost') server.once('data', () => client.resetAndDestroy());
    else server.pipe(client);
  }
}

const REQUESTER = 'mturk:APA5QKHYESAA' as const;
const review = (taskId: string, text = 'Fair pay, approved the next day.'): SubmissionInput => ({
  kind: 'review',
  payload: {
    requester: REQUESTER,
    requesterName: 'Müller & Søn',
    taskId,
    taskTitle: 'Categorize product listings',
    reward: { cents: 300, currency: 'USD' },
    bonusCents: 0,
    minutes: 12,
    finished: true,
    outcome: 'approved',
    daysToDecision: 1,
    ratings: { pay: 4, fairness: null, speed: null, communication: null },
    text,
    tags: [],
  },
});
const TASK = '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y';
const OTHER_TASK = '3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ';

let server: TestServer;
let line: Line;
let lineUrl: string;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  line = new Line(new URL(server.url));
  lineUrl = await line.open();
}, 60_000); // a server start with its migrations, on a loaded machine
afterAll(async () => {
  await line?.close();
  await server?.close();
});

/** The background's modules as a fresh service worker loads them (IndexedDB and storage kept). */
async function worker() {
  vi.resetModules();
  fake.listeners.length = 0; // a restarted worker's listeners are its own
  return { ...(await import('./outbox.js')), ...(await import('./settings.js')), ...(await import('./db.js')) };
}

/** The account the extension made for itself (on its first send). */
const secret = () => (fake.storage.get('account') as { secret: string } | undefined)?.secret;

/** The worker's reviews as the server has them. */
async function reviewsOnServer(): Promise<{ id: string; taskId: string; text: string }[]> {
  const key = secret();
  if (!key) return [];
  const answer = await server.request('GET', '/v1/account/reviews', { secret: key });
  expect(answer.status).toBe(200);
  return answer.json.reviews;
}

beforeEach(async () => {
  line.set('up');
  fake.storage.clear();
  fake.alarms.clear();
  fake.syncs.asked = 0;
  const { deleteDatabase, updateSettings } = await worker();
  await deleteDatabase();
  await updateSettings({ serverUrl: lineUrl });
});

describe('outbox', () => {
  it('queues a review once and delivers it once: gone from the outbox, one review on the server, a sync asked for', async () => {
    const { enqueue, flushOutbox, listOutbox } = await worker();
    const { item, delivered } = await enqueue(review(TASK));
    expect(delivered).toBe(true);
    expect(item.submission).toEqual(review(TASK));
    expect(await listOutbox()).toEqual([]);
    expect((await reviewsOnServer()).map((r) => [r.taskId, r.text])).toEqual([[TASK, 'Fair pay, approved the next day.']]);
    expect(fake.syncs.asked).toBe(1);
    await flushOutbox(true); // nothing left to send again
    expect(await reviewsOnServer()).toHaveLength(1);
    expect(fake.alarms.size).toBe(0); // nothing waits
  });

  it('keeps an item through an outage with backoff, and sends it when the server is back', async () => {
    const { enqueue, flushOutbox, listOutbox } = await worker();
    line.set('down');
    const before = Date.now();
    const { item, delivered } = await enqueue(review(TASK));
    expect(delivered).toBe(false);
    const [waiting] = await listOutbox();
    expect(waiting).toMatchObject({ id: item.id, state: 'queued', attempts: 1, errorField: null });
    expect(waiting!.lastError).toMatch(/could not be reached/);
    // First retry after 30 s, and the alarm is set for it.
    expect(waiting!.nextAttemptAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(waiting!.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 30_000);
    // (no sooner than 30 s from when it is set, a moment after the item was written back)
    const alarm = fake.alarms.get('lantern-outbox')?.scheduledTime ?? 0;
    expect(alarm).toBeGreaterThanOrEqual(waiting!.nextAttemptAt);
    expect(alarm).toBeLessThanOrEqual(Date.now() + 30_000);

    await flushOutbox(true); // still down: the wait doubles
    const [again] = await listOutbox();
    expect(again!.attempts).toBe(2);
    expect(again!.nextAttemptAt).toBeGreaterThanOrEqual(before + 60_000);

    line.set('up');
    await flushOutbox(); // not due yet: an ordinary flush leaves it waiting
    expect((await listOutbox()).map((i) => i.id)).toEqual([item.id]);
    expect(await reviewsOnServer()).toEqual([]);
    await flushOutbox(true); // the alarm's (or the popup's "retry now") forced flush
    expect(await listOutbox()).toEqual([]);
    expect((await reviewsOnServer()).map((r) => r.taskId)).toEqual([TASK]);
  });

  it('retries with the same idempotency key: a request whose answer was lost makes no second review', async () => {
    const { enqueue, flushOutbox, listOutbox } = await worker();
    await enqueue(review(OTHER_TASK)); // the account exists before the line is cut
    line.set('answer-lost');
    const { item, delivered } = await enqueue(review(TASK));
    expect(delivered).toBe(false);
    expect((await listOutbox()).map((i) => [i.id, i.state, i.attempts])).toEqual([[item.id, 'queued', 1]]);
    expect((await reviewsOnServer()).filter((r) => r.taskId === TASK)).toHaveLength(1); // the server did take it
    line.set('up');
    await flushOutbox(true);
    // The server answered the retry from its record of that key; a new key would have been
    // refused (409, "you already reviewed this task") and the item kept as rejected.
    expect(await listOutbox()).toEqual([]);
    expect((await reviewsOnServer()).filter((r) => r.taskId === TASK)).toHaveLength(1);
  });

  it("keeps a refused item with the server's words and field, never retries it, and lets it be discarded", async () => {
    const { enqueue, flushOutbox, listOutbox, discard } = await worker();
    expect((await enqueue(review(TASK))).delivered).toBe(true);
    const { item, delivered } = await enqueue(review(TASK, 'The same task again.'));
    expect(delivered).toBe(false);
    const [refused] = await listOutbox();
    expect(refused).toMatchObject({ id: item.id, state: 'rejected', attempts: 1, errorField: 'taskId', nextAttemptAt: 0 });
    expect(refused!.lastError).toMatch(/already reviewed this task/);
    expect(fake.alarms.size).toBe(0); // nothing to retry
    await flushOutbox(true);
    expect((await listOutbox())[0]).toMatchObject({ state: 'rejected', attempts: 1 });
    expect((await reviewsOnServer()).map((r) => r.text)).toEqual(['Fair pay, approved the next day.']);
    await discard(item.id);
    expect(await listOutbox()).toEqual([]);
  });

  it('refuses a submission its schema refuses, before storing anything', async () => {
    const { enqueue, listOutbox } = await worker();
    const bad = review(TASK) as { kind: 'review'; payload: { minutes: number } };
    bad.payload.minutes = -5;
    await expect(enqueue(bad as SubmissionInput)).rejects.toThrow(/minutes/);
    expect(await listOutbox()).toEqual([]);
  });

  it('a queued item survives a restart of the worker (the database reopened) and is sent, once, after it', async () => {
    const first = await worker();
    line.set('down');
    const { item } = await first.enqueue(review(TASK));
    const after = await worker(); // new modules: a new connection to the same IndexedDB
    expect((await after.listOutbox()).map((i) => [i.id, i.state, i.submission])).toEqual([[item.id, 'queued', review(TASK)]]);
    line.set('up');
    await after.flushOutbox(true);
    expect(await after.listOutbox()).toEqual([]);
    expect((await reviewsOnServer()).map((r) => r.taskId)).toEqual([TASK]);
  });
});

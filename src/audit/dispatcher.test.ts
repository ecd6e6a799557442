import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Communication } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, NotificationDispatcher } from './dispatcher.js';
import { outboxEntries, OUTBOX_TYPE } from './outbox.js';
import { logSender, webhookSender, type AuditLogger } from './senders.js';
import { CALLERS, categoryOf, doc, NOW, openAuditTestStore, patient, put, recorderFor, type AuditTestStore } from './test-fixture.js';

/** A webhook receiver on 127.0.0.1 (ephemeral port) answering the statuses it is given, in order. */
interface Receiver {
  url: string;
  received: Array<{ body: Communication; contentType?: string }>;
  close(): Promise<void>;
}

async function startReceiver(statuses: number[]): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer(async (req, res) => {
    const body = JSON.parse(await read(req)) as Communication;
    const status = statuses.shift() ?? 200;
    if (status < 300) received.push({ body, contentType: req.headers['content-type'] });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let t: AuditTestStore;
let receiver: Receiver | undefined;
let now: Date;
const clock = () => now;

beforeEach(async () => {
  now = NOW;
  t = await openAuditTestStore();
  await put(t.store, patient('alice'));
  const audit = recorderFor(t.store, { access: CALLERS.gp });
  audit.row(await put(t.store, doc('d1', 'alice')));
  await audit.finish('0'); // one first-access notice in the outbox
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await t.close();
});

const dispatcher = (url: string, options: { maxAttempts?: number } = {}) =>
  new NotificationDispatcher({ store: t.store, sender: webhookSender({ url, timeoutMs: 2_000 }), clock, baseDelayMs: 1_000, ...options });

const later = (ms: number) => (now = new Date(now.getTime() + ms));

describe('delivering notifications through the webhook', () => {
  it('POSTs the Communication as FHIR JSON and empties the outbox', async () => {
    receiver = await startReceiver([200]);
    expect(await dispatcher(receiver.url).runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(categoryOf(receiver.received[0]!.body)).toBe('first-access');
    expect(receiver.received[0]!.contentType).toBe('application/fhir+json');
    expect(await t.store.find(OUTBOX_TYPE, { filter: {} })).toHaveLength(0);
    expect(await t.store.find('Communication', { filter: {} })).toHaveLength(1);
  });

  it('retries after failures with exponential backoff until the receiver accepts', async () => {
    receiver = await startReceiver([503, 500]);
    const d = dispatcher(receiver.url);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 1 });
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0 }); // not due yet
    later(1_000);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 1 });
    later(1_000);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0 }); // second delay is 2 s
    later(1_000);
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('keeps undelivered notifications across a restart of the store and delivers them after', async () => {
    receiver = await startReceiver([500]);
    await dispatcher(receiver.url).runOnce();
    const reopened = await t.reopen();
    later(1_000);
    const d = new NotificationDispatcher({ store: reopened, sender: webhookSender({ url: receiver.url }), clock });
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers a notification once when two nodes poll the outbox at the same time', async () => {
    receiver = await startReceiver([200, 200]);
    const reports = await Promise.all([dispatcher(receiver.url).runOnce(), dispatcher(receiver.url).runOnce()]);
    expect(reports.map((r) => r.delivered).sort()).toEqual([0, 1]);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries an unreachable receiver and gives up after the last attempt, keeping the row as failed', async () => {
    receiver = await startReceiver([]);
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const d = dispatcher(url, { maxAttempts: 2 });
    expect((await d.runOnce()).failed).toBe(1);
    later(1_000);
    expect((await d.runOnce()).failed).toBe(1);
    later(3_600_000);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0 });
    const [failed] = await outboxEntries(t.store, 'failed');
    expect(failed?.facts).toMatchObject({ state: 'failed', attempts: 2 });
    expect(failed?.facts.lastError).toMatch(/unreachable/);
  });

  it('delivers from its own timer once started, and stops cleanly', async () => {
    receiver = await startReceiver([200]);
    const d = new NotificationDispatcher({ store: t.store, sender: webhookSender({ url: receiver.url }), clock, intervalMs: 10 });
    d.start();
    const deadline = Date.now() + 5_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await d.stop();
    expect(receiver.received).toHaveLength(1);
  });
});

describe('the log sender', () => {
  it('logs each notification with its category and recipients', async () => {
    const lines: object[] = [];
    const logger: AuditLogger = { info: (obj) => lines.push(obj), warn: () => undefined, error: () => undefined };
    const d = new NotificationDispatcher({ store: t.store, sender: logSender(logger), clock });
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(lines).toEqual([expect.objectContaining({ category: 'first-access', recipients: ['Patient/alice'] })]);
  });
});

describe('backoff', () => {
  it('doubles the delay at each failure up to the cap', () => {
    expect([1, 2, 3, 4, 20].map((n) => backoffDelay(n, 1_000, 5_000))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});

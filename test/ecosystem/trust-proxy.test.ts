import { Writable } from 'node:stream';
import type { AuditEvent } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

// Two browsers behind one reverse proxy: every request reaches the server from the proxy's
// address (here the test client's loopback socket), each with its own X-Forwarded-For.
const CLIENT_A = '203.0.113.10';
const CLIENT_B = '198.51.100.20';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

const failFrom = (app: TestApp, client: string) => app.anonymous.get('/fhir/Patient').set('authorization', 'Bearer not-a-token').set('x-forwarded-for', client);

/** The network addresses the AuditEvents of unauthenticated calls recorded. */
async function auditedAddresses(app: TestApp): Promise<string[]> {
  const rows = await app.store.scan('AuditEvent', { limit: 1000 });
  return rows.flatMap((r) => ((r.resource as AuditEvent).agent ?? []).map((a) => a.network?.address).filter((a): a is string => a !== undefined && !a.startsWith('http')));
}

function loggedAddresses(lines: Array<Record<string, unknown>>): string[] {
  return lines.map((l) => (l.req as { remoteAddress?: string } | undefined)?.remoteAddress).filter((a): a is string => a !== undefined);
}

describe('TRUST_PROXY: the client address behind a reverse proxy', () => {
  it('off (default): X-Forwarded-For is ignored, so two clients behind the proxy share one failure count', async () => {
    const logs = capture();
    t = await createTestApp({ env: { AUTH_FAILURE_RATE_LIMIT: '2' }, logStream: logs.stream });
    expect(t.config.trustProxy).toBe(false);
    expect((await failFrom(t, CLIENT_A)).status).toBe(401);
    expect((await failFrom(t, CLIENT_A)).status).toBe(401);
    // B has never failed, but the server sees one client (the proxy) that has failed twice
    expect((await failFrom(t, CLIENT_B)).status).toBe(429);

    const logged = loggedAddresses(logs.lines);
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.some((a) => a === CLIENT_A || a === CLIENT_B)).toBe(false);
    const audited = await auditedAddresses(t);
    expect(audited.length).toBeGreaterThanOrEqual(2);
    expect(audited.some((a) => a === CLIENT_A || a === CLIENT_B)).toBe(false);
  });

  it('on for the proxy\'s address: each client behind it is counted, logged and audited under its own address', async () => {
    const logs = capture();
    t = await createTestApp({ env: { AUTH_FAILURE_RATE_LIMIT: '2', TRUST_PROXY: 'loopback' }, logStream: logs.stream });
    expect((await failFrom(t, CLIENT_A)).status).toBe(401);
    expect((await failFrom(t, CLIENT_A)).status).toBe(401);
    const limited = await failFrom(t, CLIENT_A);
    expect(limited.status).toBe(429);
    expect(limited.body.issue[0].details.coding[0].code).toBe('TOO_MANY_AUTH_FAILURES');
    // B has its own count: two failures allowed, the third limited
    expect((await failFrom(t, CLIENT_B)).status).toBe(401);
    expect((await failFrom(t, CLIENT_B)).status).toBe(401);
    expect((await failFrom(t, CLIENT_B)).status).toBe(429);
    // a proxy that appends to the header: the client is the last address before the trusted proxy
    expect((await failFrom(t, `192.0.2.99, ${CLIENT_B}`)).status).toBe(429);

    const logged = loggedAddresses(logs.lines);
    expect(logged.filter((a) => a === CLIENT_A)).toHaveLength(3);
    expect(logged.filter((a) => a === CLIENT_B)).toHaveLength(4);
    expect(logged).not.toContain('192.0.2.99');
    const audited = await auditedAddresses(t);
    expect(audited).toContain(CLIENT_A);
    expect(audited).toContain(CLIENT_B);
    expect(audited.every((a) => a === CLIENT_A || a === CLIENT_B)).toBe(true);
  });

  it('trusts only the listed proxies: from any other peer X-Forwarded-For is a spoofing attempt and is ignored', async () => {
    t = await createTestApp({ env: { AUTH_FAILURE_RATE_LIMIT: '2', TRUST_PROXY: '10.0.0.0/8' } });
    expect(t.config.trustProxy).toEqual(['10.0.0.0/8']);
    expect((await failFrom(t, CLIENT_A)).status).toBe(401);
    expect((await failFrom(t, CLIENT_B)).status).toBe(401);
    // a fresh forged address does not reset the count
    expect((await failFrom(t, '192.0.2.1')).status).toBe(429);
    const audited = await auditedAddresses(t);
    expect(audited.length).toBeGreaterThanOrEqual(2);
    expect(audited.some((a) => [CLIENT_A, CLIENT_B, '192.0.2.1'].includes(a))).toBe(false);
  });

  it('with a hop count, trusts that many proxies and takes the address before them', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '2' } });
    // client A → outer proxy B → inner proxy (loopback) → server: B appended A, the inner proxy appended B
    const res = await failFrom(t, `${CLIENT_A}, ${CLIENT_B}`);
    expect(res.status).toBe(401);
    const audited = await auditedAddresses(t);
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect(audited.every((a) => a === CLIENT_A)).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { StoreUnavailableError, type Store } from '../../src/store/store.js';

function failingReads(store: Store, error: Error): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'read') return async () => { throw error; };
      return Reflect.get(target, prop, receiver);
    },
  });
}

describe('server-side failures', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('answers 500 with an OperationOutcome that leaks neither message nor stack', async () => {
    t = await createTestApp({ accessControl: false, wrapStore: (s) => failingReads(s, new Error('secret internal detail at /srv/db')) });
    const res = await t.request.get('/fhir/Patient/abc');
    expect(res.status).toBe(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.text).not.toContain('secret');
    expect(res.text).not.toMatch(/at .+\.ts:\d+/);
  });

  it('answers 503 when the store is unreachable', async () => {
    t = await createTestApp({ accessControl: false, wrapStore: (s) => failingReads(s, new StoreUnavailableError()) });
    const res = await t.request.get('/fhir/Patient/abc');
    expect(res.status).toBe(503);
    expect(res.body.issue[0].code).toBe('transient');
  });
});

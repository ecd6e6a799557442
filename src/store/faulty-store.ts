import { StoreUnavailableError, type Store } from './store.js';

/**
 * A Store that fails on demand, for tests of outages (D31) and of "a failed audit write fails the
 * request": it forwards every call to a real store unless told to fail.
 */
export interface FaultyStore {
  store: Store;
  /**
   * The next call of `method` throws `error` (StoreUnavailableError by default). 'any' is the next
   * call of any method but `close`; `kind` is a property, not a call, and never fails.
   */
  failNext(method: keyof Store | 'any', error?: Error): void;
  /** While on, every call throws StoreUnavailableError, as when the database is down. */
  setUnavailable(on: boolean): void;
}

type Method = Exclude<keyof Store, 'kind'>;

export function withFaults(inner: Store): FaultyStore {
  const pending: Array<{ method: keyof Store | 'any'; error: Error }> = [];
  let unavailable = false;

  function fault(method: Method): Error | undefined {
    // `close` fails only when named: a test must always be able to release the real store.
    const index = pending.findIndex((entry) => entry.method === method || (entry.method === 'any' && method !== 'close'));
    if (index >= 0) return pending.splice(index, 1)[0]!.error;
    if (unavailable && method !== 'close') return new StoreUnavailableError(new Error('outage injected by test'));
    return undefined;
  }

  async function call<T>(method: Method, forward: () => Promise<T>): Promise<T> {
    const error = fault(method);
    if (error) throw error;
    return forward();
  }

  const store: Store = {
    get kind() {
      return inner.kind;
    },
    read: (type, id) => call('read', () => inner.read(type, id)),
    readVersion: (type, id, versionId) => call('readVersion', () => inner.readVersion(type, id, versionId)),
    find: (type, query) => call('find', () => inner.find(type, query)),
    count: (type, filter) => call('count', () => inner.count(type, filter)),
    history: (type, id, query) => call('history', () => inner.history(type, id, query)),
    historyCount: (type, id, query) => call('historyCount', () => inner.historyCount(type, id, query)),
    commit: (writes) => call('commit', () => inner.commit(writes)),
    purge: (type, ids) => call('purge', () => inner.purge(type, ids)),
    rewrite: (rows) => call('rewrite', () => inner.rewrite(rows)),
    scan: (type, query) => call('scan', () => inner.scan(type, query)),
    getMeta: (key) => call('getMeta', () => inner.getMeta(key)),
    setMeta: (key, value) => call('setMeta', () => inner.setMeta(key, value)),
    ping: () => call('ping', () => inner.ping()),
    close: () => call('close', () => inner.close()),
  };

  return {
    store,
    failNext(method, error = new StoreUnavailableError(new Error('failure injected by test'))) {
      pending.push({ method, error });
    },
    setUnavailable(on) {
      unavailable = on;
    },
  };
}

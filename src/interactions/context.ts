import type { Config } from '../config.js';
import type { Store } from '../store/store.js';

/** What the app builds once and hands to every interaction; no global singletons. */
export interface Services {
  config: Config;
  store: Store;
  /** Injectable clock: tests move time, everything else asks this for "now". */
  clock: () => Date;
}

/** One request's view: the services plus the base URL its links and fullUrls are built on. */
export interface RequestContext {
  services: Services;
  /** `config.baseUrl`, without trailing slash. */
  baseUrl: string;
}

/** A query string as ordered name/value pairs: repeated parameters stay separate (AND). */
export type QueryPairs = Array<[name: string, value: string]>;

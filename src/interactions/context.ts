import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import type { AccessPipeline } from '../access/pipeline.js';
import type { RequestGuard } from '../access/request-guard.js';
import type { AuditRecorder } from '../audit/recorder.js';
import type { UnitOfWork } from './unit-of-work.js';

/** What the app builds once and hands to every interaction; no global singletons. */
export interface Services {
  config: Config;
  store: Store;
  /** Injectable clock: tests move time, everything else asks this for "now". */
  clock: () => Date;
  /** The access rules (DMP-RULES.md), applied through each request's guard. */
  access?: AccessPipeline;
}

/** One request's view: the services plus the base URL its links and fullUrls are built on. */
export interface RequestContext {
  services: Services;
  /** `config.baseUrl`, without trailing slash. */
  baseUrl: string;
  /**
   * The caller's access checks. The HTTP layer always sets it; interactions called without one (unit
   * tests of REST mechanics) apply no access rule.
   */
  guard?: RequestGuard;
  /** This request's trace: what it touched and returned, committed with its writes. */
  audit?: AuditRecorder;
  /** When set, writes are staged here and committed together (transactions, multi-resource writes). */
  unitOfWork?: UnitOfWork;
}

/** A query string as ordered name/value pairs: repeated parameters stay separate (AND). */
export type QueryPairs = Array<[name: string, value: string]>;

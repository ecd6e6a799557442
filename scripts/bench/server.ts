import { readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import type { Resource } from 'fhir/r4';
import path from 'node:path';
import { storeIndexPlan } from '../../src/access/index-plan.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openEmbeddedStore, type QueryTrace } from '../../src/store/embedded-store.js';
import type { Store } from '../../src/store/store.js';
import { RESOURCE_TYPES } from '../../src/fhir/registry.js';
import { warmUpValidation } from '../../src/validation/validate.js';

/**
 * The server as the benchmark runs it, in a child process of `run.ts`: the real `buildApp` on the
 * configured DATA_DIR (as `src/main.ts` starts it), plus one bare route in the same process,
 * `GET /bench/ceiling/:id`, that answers the same JSON as `GET /fhir/DocumentReference/:id` from
 * memory: no token, no access rules, no store, no audit. That route is the ceiling every scenario
 * is compared with. It listens on 127.0.0.1 only and tells its parent its port over IPC.
 *
 * Environment: the server's own variables (DATA_DIR, HOST, PORT=0, LOG_LEVEL, …),
 * BENCH_CEILING_FILE, a JSON array of the DocumentReferences the ceiling serves, and
 * BENCH_TRACE_QUERIES=1 to count how the embedded store answers each find and count (index or
 * scan, candidates read): the parent asks for the counts between scenarios (`{ type: 'queries' }`).
 * With tracing on, the store is opened here and handed to `buildApp` (so no start-up reindex check).
 */

type Message = { type: 'stop' } | { type: 'queries' };

/** Per `operation type strategy`: calls, candidates read, and how many were answered by the index alone. */
type QueryCounts = Record<string, { calls: number; candidates: number; exact: number }>;

async function tracedStore(dataDir: string, counts: QueryCounts): Promise<Store> {
  const observe = (t: QueryTrace) => {
    const key = `${t.operation} ${t.type} ${t.strategy}`;
    const c = (counts[key] ??= { calls: 0, candidates: 0, exact: 0 });
    c.calls++;
    c.candidates += t.candidates;
    if (t.exact) c.exact++;
  };
  const store = await openEmbeddedStore({ dir: path.join(dataDir, 'store'), indexPlan: storeIndexPlan(), observe });
  // one AuditEvent per request (D25): the number of requests the counts are for
  return {
    ...store,
    commit: (writes) => {
      const c = (counts['requests (AuditEvents written)'] ??= { calls: 0, candidates: 0, exact: 0 });
      c.calls += writes.filter((w) => w.row.type === 'AuditEvent').length;
      return store.commit(writes);
    },
  };
}

async function main(): Promise<void> {
  const loaded = performance.now(); // process start → here: Node, tsx and the server's modules
  const config = loadConfig();
  if (config.host !== '127.0.0.1') throw new Error(`the benchmark server listens on loopback only, not ${config.host}`);
  const counts: QueryCounts = {};
  const store = process.env.BENCH_TRACE_QUERIES === '1' ? await tracedStore(config.dataDir, counts) : undefined;
  const app = await buildApp(config, store ? { store } : {});
  if (store) app.addHook('onClose', () => store.close());

  const ceiling = new Map<string, Resource>();
  const file = process.env.BENCH_CEILING_FILE;
  if (file) for (const resource of JSON.parse(readFileSync(file, 'utf8')) as Resource[]) ceiling.set(resource.id!, resource);
  app.get('/bench/ceiling/:id', { schema: { hide: true } }, (request, reply: FastifyReply) => {
    const resource = ceiling.get((request.params as { id: string }).id);
    if (!resource) return reply.code(404).send();
    return reply
      .code(200)
      .header('content-type', 'application/fhir+json; charset=utf-8')
      .header('etag', `W/"${resource.meta?.versionId ?? '1'}"`)
      .header('last-modified', new Date(resource.meta?.lastUpdated ?? 0).toUTCString())
      .send(JSON.stringify(resource));
  });

  const built = performance.now();
  await app.listen({ port: config.port, host: config.host });
  const listening = performance.now();
  // as src/main.ts does right after listening; done before "ready" so no scenario pays for it
  warmUpValidation(RESOURCE_TYPES);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({
    type: 'ready',
    port,
    timings: { modulesMs: Math.round(loaded), buildAppMs: Math.round(built - loaded), listenMs: Math.round(listening - built), validationWarmUpMs: Math.round(performance.now() - listening) },
  });

  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: Message) => {
    if (message?.type === 'stop') stop();
    if (message?.type === 'queries') {
      process.send?.({ type: 'queries', counts });
      for (const key of Object.keys(counts)) delete counts[key];
    }
  });
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

main().catch((err) => {
  console.error(`bench server failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});

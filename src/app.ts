import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { fastifyTrustProxy, type Config } from './config.js';
import type { Services } from './interactions/context.js';
import { storeIndexPlan } from './access/index-plan.js';
import { createAccessPipeline } from './access/pipeline.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerFhirRequest } from './http/fhir-request.js';
import { registerHealthRoutes, registerSystemRoutes } from './http/system-routes.js';
import { registerTypeRoutes } from './http/type-routes.js';
import { registerOperationRoutes } from './http/operation-routes.js';
import { registerBundleRoutes } from './http/bundle-routes.js';
import { openApiOptions } from './http/openapi.js';
import { authMode, verifierForConfig } from './access/auth-mode.js';
import { registerAuth } from './http/auth.js';
import { registerDevRoutes } from './http/dev-routes.js';
import { registerSmartConfiguration } from './http/smart-configuration.js';
import { registerWebRoutes } from './http/web-routes.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerAuthFailureLimit } from './http/auth-failure-limit.js';
import { REQUEST_ID_HEADER, loggerOptions, type LoggerSettings } from './http/logging.js';
import { registerAudit } from './http/audit-hooks.js';
import { reindexIfProfilesChanged } from './maintenance/reindex-if-changed.js';
import { prepareStore } from './lifecycle/boot.js';
import { createRetentionJob } from './lifecycle/retention.js';
import { NotificationDispatcher } from './audit/dispatcher.js';
import { createScheduler } from './audit/scheduler.js';
import { logSender, webhookSender } from './audit/senders.js';

export interface AppOptions {
  /** A store opened by the caller (tests, fault injection); otherwise opened from the configuration. */
  store?: Store;
  clock?: () => Date;
  /** pino settings (tests pass a stream to capture lines), or `false`; defaults to stdout at `config.logLevel`. */
  logger?: false | LoggerSettings;
  /**
   * `false` switches the DMP access rules off (tokens are still required): only for the suites that
   * test FHIR REST mechanics, and to prove that the access suites fail without the rules.
   */
  accessControl?: boolean;
  /** `false` keeps the notification dispatcher and scheduler stopped (tests drive them by hand). */
  background?: boolean;
}

/** The whole server, registered top to bottom in the order requests meet it. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const store = options.store ?? (await openStore(config, storeIndexPlan()));
  const clock = options.clock ?? (() => new Date());
  const access = createAccessPipeline({ clock, disabled: options.accessControl === false });
  const services: Services = { config, store, clock, access };
  const verifier = await verifierForConfig(config, { clock: services.clock });

  const app = Fastify({
    ...loggerOptions(options.logger ?? { level: config.logLevel }), // reqId from a well-formed X-Request-Id; no query values, headers or bodies in logs
    bodyLimit: config.maxBodyBytes,
    trustProxy: fastifyTrustProxy(config.trustProxy), // TRUST_PROXY: request.ip from X-Forwarded-For behind these proxies only
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  if (!options.store) await reindexIfProfilesChanged(store, app.log); // D24: profiles/ changed → idx/sec recomputed before serving
  if (!options.store) await prepareStore({ store, config, clock, logger: app.log }); // D17 insurer Organization; D5 demo data on a first start
  // Route schemas document the API (OpenAPI); FHIR validation and serialisation are our own.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerErrorHandling(app); //                          every error → OperationOutcome
  app.addHook('onRequest', async (request, reply) => void reply.header(REQUEST_ID_HEADER, request.id)); // echo the request id
  await registerSecurityHeaders(app, config); //          helmet on every answer; CORS for CORS_ORIGINS only
  const countAuthFailure = await registerAuthFailureLimit(app, config.authFailureRateLimit); // 429 past N failed authentications per client and minute
  await app.register(swagger, openApiOptions(config)); // OpenAPI 3 from the route schemas
  await app.register(swaggerUi, { routePrefix: '/docs' }); // its docs page
  const mode = authMode(config);
  app.log[mode.level](mode.message); //                   loud warning in development mode (D1)
  registerHealthRoutes(app, services); //                 /healthz, /readyz
  registerDevRoutes(app, config, { clock: services.clock }); // /.well-known/jwks.json, POST /dev/token (dev only)
  registerSmartConfiguration(app, config); //             public SMART discovery, /fhir/.well-known/smart-configuration (D2)
  await registerWebRoutes(app); //                        the web front-end (dist/web) at /
  await app.register(
    async (fhir) => {
      registerBodyParsers(fhir, config.maxBodyBytes); //  raw bytes for FHIR JSON rules
      registerFhirRequest(fhir); //                       query pairs, format, Prefer
      registerAuth(fhir, verifier, countAuthFailure); //  bearer token → request.access (401/403, 429 past the failure limit)
      registerAudit(fhir, services); //                   one AuditEvent per request, awaited before the answer
      fhir.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      registerSystemRoutes(fhir, services); //            metadata, unsupported types
      registerTypeRoutes(fhir, services); //              every interaction of every type
      registerOperationRoutes(fhir, services); //         $validate, Patient/[id]/$everything, DocumentReference/[id]/$access
      registerBundleRoutes(fhir, services); //            POST /fhir: transaction and batch Bundles (ITI-65)
    },
    { prefix: '/fhir' },
  );
  // Notifications leave through the outbox, and time-based ones come from the scheduler (R10.2).
  const dispatcher = new NotificationDispatcher({
    store,
    clock,
    logger: app.log,
    sender: config.notifyWebhookUrl ? webhookSender({ url: config.notifyWebhookUrl }) : logSender(app.log),
  });
  const scheduler = createScheduler({ store, clock, baseUrl: config.baseUrl, logger: app.log });
  const retention = createRetentionJob({ store, clock, baseUrl: config.baseUrl, logger: app.log }); // R9.3
  if (options.background !== false) {
    app.addHook('onReady', async () => {
      dispatcher.start();
      scheduler.start();
      retention.start();
    });
  }
  app.addHook('onClose', async () => {
    await retention.stop();
    await scheduler.stop();
    await dispatcher.stop();
    if (!options.store) await store.close();
  });
  return app;
}

import { ConfigError, loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { RESOURCE_TYPES } from './fhir/registry.js';
import { warmUpValidation } from './validation/validate.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`dmp-fhir-server: configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp(config);
  await app.listen({ port: config.port, host: config.host });
  const origin = new URL(config.baseUrl).origin;
  app.log.info(
    `Web (Mon DMP, professional viewer, rules explorer) at ${origin}/; FHIR R4 API at ${config.baseUrl} (store: ${config.mongodbUri ? 'MongoDB' : `embedded, ${config.dataDir}`}); ` +
      `API docs at ${origin}/docs; OpenAPI at ${config.baseUrl}/openapi.json`,
  );
  app.log.info(
    config.auth.mode === 'development'
      ? `Get a token: npm run -s token -- --role admin   (or POST ${origin}/dev/token with {"role":"admin"})`
      : `Tokens come from your identity provider (${config.auth.mode === 'jwks-url' ? config.auth.jwksUrl : config.auth.jwksFile}).`,
  );
  // Compile the validators now rather than on the first write (about half a second, once).
  setImmediate(() => warmUpValidation(RESOURCE_TYPES));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.log.info(`${signal} received: finishing in-flight requests`);
      // A keep-alive connection whose request was in flight at close time stays open once answered,
      // and would hold the exit until its idle timeout: close such connections as they go idle.
      setInterval(() => app.server.closeIdleConnections(), 50).unref();
      app.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause ? `${err.message} (${describeError(err.cause)})` : err.message;
}

main().catch((err) => {
  console.error(`dmp-fhir-server failed to start: ${describeError(err)}`);
  process.exit(1);
});

import type { JWTPayload } from 'jose';
import type { AccessContext } from '../access/access-context.js';
import type { TokenOptions } from '../access/dev-token.js';
import { createAccessPipeline, type AccessPipeline } from '../access/pipeline.js';
import { createRequestGuard } from '../access/request-guard.js';
import { contextFromClaims } from '../access/token-claims.js';
import type { AuditLogger } from '../audit/senders.js';
import { createAuditRecorder } from '../audit/recorder.js';
import type { Config } from '../config.js';
import type { RequestContext, Services } from '../interactions/context.js';
import { readResourceBody } from '../interactions/resource-body.js';
import { update } from '../interactions/update.js';
import type { Store } from '../store/store.js';
import { demoSteps, type SeedStep } from './demo-data.js';
import { demoIdentity } from './demo-identities.js';
import { ensureInsurerOrganization } from './insurer.js';

/**
 * Loads the demo DMP set (D5, demo-data.ts) through the interactions: each step is a PUT by the
 * demo identity it names, with that identity's access guard and audit recorder, so the access
 * rules, validation, the stored facts (`idx`, `sec`), the traces and notifications are exactly
 * those of the same requests over HTTP. A refused step is a bug of the demo set: the seed stops
 * there, saying which step and why.
 *
 * Idempotent: every resource has a fixed id and is written only when it does not exist (or was
 * deleted), the rest of its story (`then`) only when it was just written. Running the seed again
 * changes nothing, and keeps what a demo user changed (an unmasked document stays unmasked).
 */

/** The client application the demo writes are traced under (AuditEvent, second agent). */
export const SEED_CLIENT_ID = 'dmp-fhir-server-seed';

export interface SeedOptions {
  store: Store;
  config: Config;
  clock: () => Date;
  /** Defaults to the rules of `profiles/`, as the app builds them. */
  access?: AccessPipeline;
  logger?: AuditLogger;
}

export interface SeedReport {
  /** `Type/id` written by this run. */
  written: string[];
  /** `Type/id` that existed already and were left as they are. */
  kept: string[];
}

/** The token claims as a verified token would carry them (dev-token.ts's option → claim mapping). */
function claimsOf(options: TokenOptions): JWTPayload {
  const claims: JWTPayload = {
    dmp_role: options.role,
    sub: options.sub ?? options.fhirUser ?? (options.rpps ? `rpps-${options.rpps}` : `dev-${options.role}`),
    fhirUser: options.fhirUser,
    rpps: options.rpps,
    profession: options.profession,
    specialty: options.specialty,
    organization: options.organization,
    purpose_of_use: options.purpose,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/** The caller a demo identity's token makes (the same claims checks as a real token). */
export function demoCaller(key: string, baseUrl: string): AccessContext {
  return contextFromClaims(claimsOf(demoIdentity(key).claims), { baseUrl });
}

async function write(services: Services, step: SeedStep): Promise<void> {
  const { store, clock, config } = services;
  const { resource } = step;
  const caller = demoCaller(step.by, config.baseUrl);
  const audit = createAuditRecorder({ store, clock, baseUrl: config.baseUrl, access: caller, client: { clientId: SEED_CLIENT_ID }, interaction: 'update' });
  const guard = createRequestGuard(store, services.access!, caller, (decision) => audit.access(decision));
  const ctx: RequestContext = { services, baseUrl: config.baseUrl, guard, audit };
  try {
    const body = readResourceBody(resource.resourceType, Buffer.from(JSON.stringify(resource), 'utf8'));
    // update() applies R8.3 replacement itself when it creates the document.
    await update(ctx, resource.resourceType, resource.id!, body);
  } catch (error) {
    await audit.finish(undefined, error).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`demo data: ${step.by} could not write ${resource.resourceType}/${resource.id} (${step.rule}): ${why}`, { cause: error });
  }
}

async function run(services: Services, step: SeedStep, report: SeedReport, created: boolean): Promise<void> {
  const key = `${step.resource.resourceType}/${step.resource.id}`;
  if (!created) {
    const current = await services.store.read(step.resource.resourceType, step.resource.id!);
    if (current && !current.deleted) {
      report.kept.push(key);
      return;
    }
  }
  await write(services, step);
  report.written.push(key);
  for (const next of step.then ?? []) await run(services, next, report, true);
}

export async function seedDemoData(options: SeedOptions): Promise<SeedReport> {
  const { store, config, clock } = options;
  const access = options.access ?? createAccessPipeline({ clock });
  const services: Services = { config, store, clock, access };
  const insurerOrganization = await ensureInsurerOrganization({ store, config, clock });
  const report: SeedReport = { written: [], kept: [] };
  for (const step of demoSteps({ now: clock(), insurer: config.insurer, insurerOrganization })) await run(services, step, report, false);
  options.logger?.info({ written: report.written.length, kept: report.kept.length }, 'demo data loaded');
  return report;
}

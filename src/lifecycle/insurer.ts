import type { DocumentReference, Organization, Reference, Resource } from 'fhir/r4';
import { FINESS_SYSTEM } from '../access/codes.js';
import { finessOf, referenceTarget } from '../access/fhir-values.js';
import { SERVER_ACTOR } from '../audit/audit-agents.js';
import { buildAuditEvent } from '../audit/audit-event.js';
import { newRowWrite } from '../audit/audit-row.js';
import { SERVER_NAME } from '../audit/codes.js';
import type { Config } from '../config.js';
import { extractAccessFacts } from '../access/facts.js';
import { forbidden } from '../fhir/errors.js';
import type { RequestContext } from '../interactions/context.js';
import { buildRow } from '../interactions/write-row.js';
import { VersionConflictError, type Store } from '../store/store.js';

/**
 * D17: the reimbursement history is authored by the Assurance Maladie (DMP-RULES section 12), not
 * by the technical client that feeds it. The Organization comes from the configuration
 * (INSURER_ORGANIZATION_FINESS, INSURER_ORGANIZATION_NAME), is created at boot when no
 * Organization carries that FINESS, and is added by the server as `author` of every document the
 * `insurer-feed` role deposits. A feed naming any other author is refused like any caller naming
 * someone else as author (section 12 "Document author").
 */

export const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';

/** The id the server gives the Organization it creates (an existing one with the FINESS is reused). */
export function insurerOrganizationId(insurer: Config['insurer']): string {
  return `assurance-maladie-${insurer.finess.toLowerCase()}`;
}

export function insurerOrganization(insurer: Config['insurer']): Organization {
  return {
    resourceType: 'Organization',
    id: insurerOrganizationId(insurer),
    identifier: [{ system: FINESS_SYSTEM, value: insurer.finess }],
    active: true,
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'ins', display: 'Insurance Company' }] }],
    name: insurer.name,
  };
}

/** The id of a live Organization with this FINESS, if any (indexed token lookup). */
export async function findOrganizationByFiness(store: Store, finess: string): Promise<string | undefined> {
  const rows = await store.find('Organization', { filter: { 'idx.identifier': `${FINESS_SYSTEM}|${finess}` }, sort: [['id', 1]], limit: 1 });
  return rows[0]?.id;
}

export interface InsurerBootOptions {
  store: Store;
  config: Config;
  clock: () => Date;
}

/**
 * Boot (D17): the insurer's Organization exists afterwards. Creating it is traced by an AuditEvent
 * of the server. Two nodes starting together: one creates it, the other's commit conflicts and it
 * finds the first one's. Returns `Organization/<id>`.
 */
export async function ensureInsurerOrganization({ store, config, clock }: InsurerBootOptions): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await findOrganizationByFiness(store, config.insurer.finess);
    if (existing) return `Organization/${existing}`;
    const organization = insurerOrganization(config.insurer);
    const id = organization.id!;
    const current = await store.read('Organization', id);
    const now = clock();
    const row = buildRow(organization, id, (current?.versionId ?? 0) + 1, now);
    row.sec = extractAccessFacts(row.resource!);
    const eventId = crypto.randomUUID();
    const event = buildAuditEvent({
      id: eventId,
      interaction: current ? 'update' : 'create',
      recorded: now,
      outcome: '0',
      rule: 'D17',
      caller: SERVER_ACTOR,
      client: { clientId: SERVER_NAME },
      accessMode: 'normal',
      baseUrl: config.baseUrl,
      patients: [],
      entities: [{ type: 'Organization', id, versionId: row.versionId }],
    });
    try {
      await store.commit([{ row, expectedVersion: current?.versionId ?? 0 }, newRowWrite(event, eventId, now)]);
      return `Organization/${id}`;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  throw new Error(`the insurer's Organization (FINESS ${config.insurer.finess}) could not be created`);
}

function namesInsurer(author: Reference, finess: string, organizationIds: readonly string[]): boolean {
  if (author.identifier) return finessOf(author.identifier) === finess;
  const target = referenceTarget(author.reference);
  return target?.type === 'Organization' && organizationIds.includes(target.id);
}

/**
 * D17 for one write: a DocumentReference created by `insurer-feed` gets the insurer's Organization
 * as author when it names none; naming anyone else is 403 AUTHOR_NOT_CALLER. Call it once the
 * access rules accepted the write (their refusals come first, D10). Other callers and types pass.
 */
export async function withInsurerAuthor(ctx: RequestContext, type: string, resource: Resource): Promise<Resource> {
  if (type !== 'DocumentReference' || ctx.guard?.caller.role !== 'insurer-feed') return resource;
  const { insurer } = ctx.services.config;
  const document = resource as DocumentReference;
  const found = await findOrganizationByFiness(ctx.services.store, insurer.finess);
  const ids = [insurerOrganizationId(insurer), ...(found ? [found] : [])];
  const authors = document.author ?? [];
  if (authors.some((author) => !namesInsurer(author, insurer.finess, ids))) {
    throw forbidden('AUTHOR_NOT_CALLER', `documents of the insurer feed are authored by ${insurer.name} (FINESS ${insurer.finess}) only`, 'D17');
  }
  if (authors.length > 0) return resource;
  const author: Reference = {
    ...(found ? { reference: `Organization/${found}` } : {}),
    identifier: { system: FINESS_SYSTEM, value: insurer.finess },
    display: insurer.name,
  };
  return { ...document, author: [author] } as DocumentReference;
}

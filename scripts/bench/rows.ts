import type { Resource } from 'fhir/r4';
import { extractAccessFacts } from '../../src/access/facts.js';
import type { AccessRules } from '../../src/access/rules.js';
import { buildAuditEvent } from '../../src/audit/audit-event.js';
import { newRowWrite } from '../../src/audit/audit-row.js';
import { buildRow } from '../../src/interactions/write-row.js';
import type { AccessFacts, RowWrite } from '../../src/store/store.js';
import type { Seeded } from './patient-record.js';
import { Rng } from './prng.js';

/**
 * Seeds to store writes exactly as the server's write path builds them: `buildRow` (search index)
 * and `extractAccessFacts` (access facts), and for each deposit the AuditEvent the server would
 * have written for it (IHE BALP create, `buildAuditEvent`), so holders have an access history.
 */

export interface RowOptions {
  rules: AccessRules;
  baseUrl: string;
  /** Write a create AuditEvent per deposited resource. */
  audit: boolean;
  seed: string;
}

export function rowWrites(seeds: readonly Seeded[], options: RowOptions, streamKey: string | number): RowWrite[] {
  const rng = Rng.forKey(options.seed, 'audit', streamKey);
  const writes: RowWrite[] = [];
  const facts = new Map<string, AccessFacts>();
  for (const seed of seeds) {
    const { resource, versionId, at } = seed;
    const key = `${resource.resourceType}/${resource.id}`;
    const row = buildRow(resource, resource.id!, versionId, at);
    const previous = facts.get(key);
    row.sec = extractAccessFacts(row.resource!, { rules: options.rules, ...(previous ? { previous } : {}), ...(seed.by ? { writer: seed.by } : {}) });
    facts.set(key, row.sec);
    writes.push({ row, expectedVersion: versionId - 1 });
    if (options.audit && seed.by) writes.push(depositTrace(rng, resource, row.sec, seed, options.baseUrl));
  }
  return writes;
}

function holdersOf(sec: AccessFacts, resource: Resource): string[] {
  const patient = sec.patient as string | string[] | undefined;
  if (resource.resourceType === 'Patient') return [`Patient/${resource.id}`];
  return patient === undefined ? [] : Array.isArray(patient) ? patient : [patient];
}

function depositTrace(rng: Rng, resource: Resource, sec: AccessFacts, seed: Seeded, baseUrl: string): RowWrite {
  const id = rng.uuid();
  // the trace is recorded just after the data it describes
  const recorded = new Date(seed.at.getTime() + 1);
  const event = buildAuditEvent({
    id,
    interaction: 'create',
    recorded,
    outcome: '0',
    caller: seed.by!,
    client: { address: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, clientId: rng.pick(['lgc-weda', 'lgc-doctolib', 'lgc-hopital', 'lgc-pharma', 'mon-espace-sante']) },
    accessMode: 'normal',
    baseUrl,
    patients: holdersOf(sec, resource),
    entities: [{ type: resource.resourceType, id: resource.id!, versionId: seed.versionId }],
  });
  return newRowWrite(event, id, recorded);
}

/** Directory resources (Practitioner, Organization): stored, no trace. */
export function directoryWrites(resources: readonly Resource[], at: Date, rules: AccessRules): RowWrite[] {
  return resources.map((resource) => {
    const row = buildRow(resource, resource.id!, 1, at);
    row.sec = extractAccessFacts(row.resource!, { rules });
    return { row, expectedVersion: 0 };
  });
}

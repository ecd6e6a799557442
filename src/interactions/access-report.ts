import type { Parameters, ParametersParameter, Practitioner, Reference } from 'fhir/r4';
import { professionalCandidate, structureCandidate, type Candidate } from '../access/candidate-actor.js';
import { DMP_ACCESS, FINESS_SYSTEM, RPPS_SYSTEM } from '../access/codes.js';
import { explainGate } from '../access/explain-callers.js';
import type { SecFacts } from '../access/facts.js';
import { idOf, rppsOf } from '../access/fhir-values.js';
import { holdersOfRow } from '../access/read-access.js';
import { PROFESSION_SYSTEM } from '../audit/codes.js';
import { badRequest, notFound } from '../fhir/errors.js';
import type { StoredRow } from '../store/store.js';
import type { RequestContext } from './context.js';
import { assertId } from './read.js';

/**
 * `DocumentReference/[id]/$access` (D28): for each actor the holder's active dmp-access Consents
 * name (authorised professionals and structures, DMP GPs, blocked professionals) and each author
 * of the document, whether they can see it and the deciding rule, as `pipeline.explain` finds by
 * running the very read pipeline as that actor. With `practitioner`, only the professionals asked
 * about. Profession and specialty come from the directory (access/candidate-actor.ts).
 */

type Role = 'author' | 'authorised' | 'structure' | 'gp' | 'blocked' | 'asked';

interface Party {
  kind: 'rpps' | 'finess';
  value: string;
  roles: Role[];
}

/** `12345678901`, `https://rpps.esante.gouv.fr|12345678901` (or IdNat_PS), or `Practitioner/<id>` of the directory. */
async function rppsOfParameter(ctx: RequestContext, raw: string): Promise<string> {
  const value = raw.trim();
  if (/^\d{11}$/.test(value)) return value;
  const bar = value.indexOf('|');
  if (bar > 0) {
    const rpps = rppsOf({ system: value.slice(0, bar), value: value.slice(bar + 1) });
    if (rpps) return rpps;
  }
  const id = idOf('Practitioner', value);
  if (id) {
    const row = await ctx.services.store.read('Practitioner', id);
    const rpps = row && !row.deleted ? ((row.resource as Practitioner).identifier ?? []).map(rppsOf).find((r) => r !== undefined) : undefined;
    if (rpps) return rpps;
    throw badRequest('INVALID_PARAMETER', `${value} is not a Practitioner of the directory with an RPPS identifier`, ['practitioner']);
  }
  throw badRequest('INVALID_PARAMETER', `practitioner must be an RPPS number, ${RPPS_SYSTEM}|<RPPS> or Practitioner/<id>, not "${raw}"`, ['practitioner']);
}

/** The actors of the holder's active dmp-access Consents, then the document's authors. */
async function namedParties(ctx: RequestContext, row: StoredRow): Promise<Party[]> {
  const holders = holdersOfRow(row);
  const consents =
    holders.length === 0
      ? []
      : await ctx.services.store.find('Consent', {
          filter: { 'sec.category': DMP_ACCESS, 'sec.status': 'active', 'sec.patient': { $in: holders } },
          sort: [['id', 1]],
        });
  const parties = new Map<string, Party>();
  const add = (kind: Party['kind'], value: string, role: Role) => {
    const key = `${kind}|${value}`;
    const party = parties.get(key) ?? { kind, value, roles: [] };
    if (!party.roles.includes(role)) party.roles.push(role);
    parties.set(key, party);
  };
  for (const rpps of (row.sec as SecFacts).authorRpps ?? []) add('rpps', rpps, 'author');
  for (const consent of consents) {
    const facts = consent.sec as SecFacts;
    for (const rpps of facts.gpRpps ?? []) add('rpps', rpps, 'gp');
    for (const rpps of facts.permitRpps ?? []) add('rpps', rpps, 'authorised');
    for (const rpps of facts.blockedRpps ?? []) add('rpps', rpps, 'blocked');
    for (const finess of facts.permitFiness ?? []) add('finess', finess, 'structure');
  }
  return [...parties.values()];
}

function partyParameter(party: Party, candidate: Candidate, canSee: boolean, rule: string): ParametersParameter {
  const who: Reference = {
    ...(candidate.reference ? { reference: candidate.reference } : {}),
    identifier: { system: party.kind === 'rpps' ? RPPS_SYSTEM : FINESS_SYSTEM, value: party.value },
  };
  const { profession } = candidate.actor;
  return {
    name: 'party',
    part: [
      { name: 'who', valueReference: who },
      { name: 'canSee', valueBoolean: canSee },
      { name: 'rule', valueString: rule },
      ...party.roles.map((role) => ({ name: 'role', valueCode: role })),
      ...(profession ? [{ name: 'profession', valueCoding: { system: PROFESSION_SYSTEM, code: profession } }] : []),
      ...(candidate.assumed ? [{ name: 'professionAssumed', valueBoolean: true }] : []),
    ],
  };
}

export async function accessReport(ctx: RequestContext, id: string, practitioners: readonly string[]): Promise<Parameters> {
  const gate = ctx.guard ? explainGate(ctx.guard.caller) : 'existing';
  assertId(id);
  const { store, access } = ctx.services;
  if (!access) throw new Error('the access pipeline is not configured');
  const row = await store.read('DocumentReference', id);
  if (!row || row.deleted) throw notFound('RESOURCE_NOT_FOUND', `DocumentReference/${id} is not known`);
  if (gate === 'readable-by-caller') await ctx.guard?.readRow(row, 'read');
  ctx.audit?.row(row);

  const asked = practitioners.length > 0;
  const parties: Party[] = asked
    ? [...new Set(await Promise.all(practitioners.map((p) => rppsOfParameter(ctx, p))))].map((value) => ({ kind: 'rpps' as const, value, roles: ['asked' as const] }))
    : await namedParties(ctx, row);

  const parameter: ParametersParameter[] = [];
  for (const party of parties) {
    const candidate = party.kind === 'rpps' ? await professionalCandidate(store, party.value, ctx.baseUrl) : await structureCandidate(store, party.value);
    const { canSee, rule } = await access.explain(store, row, candidate.actor);
    parameter.push(partyParameter(party, candidate, canSee, rule));
  }
  return { resourceType: 'Parameters', ...(parameter.length ? { parameter } : {}) };
}

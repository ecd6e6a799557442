import type { Practitioner, PractitionerRole } from 'fhir/r4';
import { PROFESSION_SYSTEM, SPECIALTY_SYSTEM } from '../audit/codes.js';
import { referenceForms } from '../search/normalise.js';
import type { Store } from '../store/store.js';
import type { AccessContext, FhirUserReference } from './access-context.js';
import { FINESS_SYSTEM, RPPS_SYSTEM } from './codes.js';
import { codesIn, codingsOf, finessOf, idOf } from './fhir-values.js';

/**
 * D28: the AccessContext a professional or a care structure named in the holder's Consents would
 * have, to run the read pipeline as them (`pipeline.explain`). A professional's profession,
 * specialty and structure come from the directory: their Practitioner (by RPPS identifier), then
 * its PractitionerRoles (`code` TRE_G15, `specialty` TRE_R38, `organization` with a FINESS
 * identifier), else `Practitioner.qualification`. Absent from the directory, or without a
 * profession there, they are evaluated as a physician (TRE_G15 `10`) without a structure: the
 * profession the matrix grants the most, so the answer never understates who could see a
 * document; `assumed` says so. A care structure is evaluated as a physician acting for it, with
 * no RPPS (no personal authorisation or block of any one professional applies).
 */

export const ASSUMED_PROFESSION = '10';

export interface Candidate {
  actor: AccessContext;
  /** `Practitioner/<id>` or `Organization/<id>` of the directory, when found. */
  reference?: string;
  /** The profession was not found in the directory: a physician was assumed. */
  assumed: boolean;
}

const professional = (rpps: string, extra: Partial<AccessContext>): AccessContext => ({
  role: 'professional',
  sub: `rpps:${rpps}`,
  rpps,
  breakGlass: false,
  ...extra,
});

async function organizationFiness(store: Store, reference: string | undefined): Promise<string | undefined> {
  const id = idOf('Organization', reference);
  if (!id) return undefined;
  const row = await store.read('Organization', id);
  const identifiers = (row?.resource as { identifier?: Array<{ system?: string; value?: string }> } | undefined)?.identifier ?? [];
  return identifiers.map(finessOf).find((f) => f !== undefined);
}

/** A professional by RPPS, as the directory describes them. */
export async function professionalCandidate(store: Store, rpps: string, baseUrl?: string): Promise<Candidate> {
  const [row] = await store.find('Practitioner', { filter: { 'idx.identifier': `${RPPS_SYSTEM}|${rpps}` }, sort: [['id', 1]], limit: 1 });
  if (!row) return { actor: professional(rpps, { profession: ASSUMED_PROFESSION }), assumed: true };
  const fhirUser: FhirUserReference = `Practitioner/${row.id}`;
  const roles = await store.find('PractitionerRole', {
    filter: { 'idx.practitioner': { $in: referenceForms('Practitioner', row.id, baseUrl) } },
    sort: [['id', 1]],
    limit: 20,
  });
  for (const roleRow of roles) {
    const role = roleRow.resource as PractitionerRole;
    const profession = codesIn(codingsOf(role.code), PROFESSION_SYSTEM)[0];
    if (!profession) continue;
    const specialty = codesIn(codingsOf(role.specialty), SPECIALTY_SYSTEM)[0];
    const organization = await organizationFiness(store, role.organization?.reference);
    return {
      actor: professional(rpps, { fhirUser, profession, ...(specialty ? { specialty } : {}), ...(organization ? { organization } : {}) }),
      reference: fhirUser,
      assumed: false,
    };
  }
  const qualifications = ((row.resource as Practitioner).qualification ?? []).map((q) => q.code);
  const profession = codesIn(codingsOf(qualifications), PROFESSION_SYSTEM)[0];
  const specialty = codesIn(codingsOf(qualifications), SPECIALTY_SYSTEM)[0];
  return {
    actor: professional(rpps, { fhirUser, profession: profession ?? ASSUMED_PROFESSION, ...(specialty ? { specialty } : {}) }),
    reference: fhirUser,
    assumed: profession === undefined,
  };
}

/** A care structure by FINESS: a physician acting for it (R3.2 matches the token's `organization`). */
export async function structureCandidate(store: Store, finess: string): Promise<Candidate> {
  const [row] = await store.find('Organization', { filter: { 'idx.identifier': `${FINESS_SYSTEM}|${finess}` }, sort: [['id', 1]], limit: 1 });
  return {
    // no RPPS can be one of theirs: a placeholder no Consent names, so only the structure's own rules apply
    actor: professional(`structure:${finess}`, { sub: `finess:${finess}`, profession: ASSUMED_PROFESSION, organization: finess }),
    ...(row ? { reference: `Organization/${row.id}` } : {}),
    assumed: true,
  };
}

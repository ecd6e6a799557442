import {
  ACT_REASON_SYSTEM,
  CONSENT_CATEGORY_SYSTEM,
  FINESS_SYSTEM,
  PARTICIPATION_TYPE_SYSTEM,
  ROLE_CODE_SYSTEM,
  RPPS_SYSTEM,
} from '../fhir/codes.js';

/** The holder's access choices (DMP-RULES section 3), as read from and written to one dmp-access Consent (section 12). */
export interface AccessChoices {
  gp: string[];
  permit: string[];
  structures: string[];
  blocked: string[];
  opposed: boolean;
}

type Provision = fhir4.ConsentProvision;

const actorOf = (p: Provision) => p.actor?.[0];
const isRole = (p: Provision, system: string, code: string) => Boolean(actorOf(p)?.role.coding?.some((c) => c.system === system && c.code === code));
const idOf = (p: Provision, system: string) => (actorOf(p)?.reference.identifier?.system === system ? actorOf(p)?.reference.identifier?.value : undefined);

export function choicesOf(consent: fhir4.Consent | undefined): AccessChoices {
  const choices: AccessChoices = { gp: [], permit: [], structures: [], blocked: [], opposed: false };
  for (const p of consent?.provision?.provision ?? []) {
    if (p.type === 'deny' && p.purpose?.some((c) => c.system === ACT_REASON_SYSTEM && c.code === 'ETREAT')) choices.opposed = true;
    const rpps = idOf(p, RPPS_SYSTEM);
    const finess = idOf(p, FINESS_SYSTEM);
    if (p.type === 'permit' && rpps && isRole(p, ROLE_CODE_SYSTEM, 'PCP')) choices.gp.push(rpps);
    else if (p.type === 'permit' && rpps) choices.permit.push(rpps);
    else if (p.type === 'permit' && finess) choices.structures.push(finess);
    else if (p.type === 'deny' && rpps) choices.blocked.push(rpps);
  }
  return choices;
}

const actor = (role: 'IRCP' | 'PCP', system: string, value: string): fhir4.ConsentProvisionActor => ({
  role: { coding: [{ system: role === 'PCP' ? ROLE_CODE_SYSTEM : PARTICIPATION_TYPE_SYSTEM, code: role }] },
  reference: { identifier: { system, value } },
});

/** The Consent with these choices: the existing one updated in place, or a new one for the holder. */
export function consentWith(existing: fhir4.Consent | undefined, holder: string, choices: AccessChoices): fhir4.Consent {
  const provision: Provision[] = [
    ...choices.gp.map((rpps) => ({ type: 'permit' as const, actor: [actor('PCP', RPPS_SYSTEM, rpps)] })),
    ...choices.permit.map((rpps) => ({ type: 'permit' as const, actor: [actor('IRCP', RPPS_SYSTEM, rpps)] })),
    ...choices.structures.map((finess) => ({ type: 'permit' as const, actor: [actor('IRCP', FINESS_SYSTEM, finess)] })),
    ...choices.blocked.map((rpps) => ({ type: 'deny' as const, actor: [actor('IRCP', RPPS_SYSTEM, rpps)] })),
    ...(choices.opposed ? [{ type: 'deny' as const, purpose: [{ system: ACT_REASON_SYSTEM, code: 'ETREAT' }] }] : []),
  ];
  const base: fhir4.Consent = existing ?? {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-access' }] }],
    patient: { reference: holder },
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
  };
  return { ...base, dateTime: new Date().toISOString(), provision: { type: 'permit', ...(provision.length ? { provision } : {}) } };
}

import type { Consent, ConsentProvision } from 'fhir/r4';
import {
  ACT_REASON_SYSTEM,
  CONSENT_CATEGORY_SYSTEM,
  FINESS_SYSTEM,
  PARTICIPATION_TYPE_SYSTEM,
  ROLE_CODE_SYSTEM,
  RPPS_SYSTEM,
} from '../../src/access/codes.js';

/** The Consents of DMP-RULES section 12: the DMP opened (or closed) and the holder's access choices. */

const SCOPE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] };
const OPTIN = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] };
export const CLOSURE_EXTENSION = 'https://dmp-fhir-server.example/StructureDefinition/dmp-closure-reason';

export interface Opening {
  id: string;
  holder: string;
  /** `Patient/<id>`, or for a minor the rep's `RelatedPerson/<id>` (D34). */
  performer: string;
  at: Date;
  closed?: { at: Date; reason: 'holder-request' | 'death' };
}

export function dmpCreation(o: Opening): Consent {
  return {
    resourceType: 'Consent',
    id: o.id,
    status: o.closed ? 'inactive' : 'active',
    ...(o.closed ? { extension: [{ url: CLOSURE_EXTENSION, valueCode: o.closed.reason }] } : {}),
    scope: SCOPE,
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-creation', display: 'Création du DMP' }] }],
    patient: { reference: `Patient/${o.holder}` },
    dateTime: o.at.toISOString(),
    performer: [{ reference: o.performer }],
    policyRule: OPTIN,
    ...(o.closed ? { provision: { period: { start: o.at.toISOString(), end: o.closed.at.toISOString() } } } : {}),
  };
}

export interface Choices {
  id: string;
  holder: string;
  /** The holder, or for a minor the rep's RelatedPerson (D18). */
  performer: string;
  at: Date;
  gp?: string;
  permit: string[];
  structures: string[];
  blocked: string[];
  opposed: boolean;
}

const actor = (role: 'IRCP' | 'PCP', system: string, value: string) => ({
  role: { coding: [{ system: role === 'PCP' ? ROLE_CODE_SYSTEM : PARTICIPATION_TYPE_SYSTEM, code: role }] },
  reference: { identifier: { system, value } },
});

export function accessChoices(c: Choices): Consent {
  const nested: ConsentProvision[] = [
    ...(c.gp ? [{ type: 'permit' as const, actor: [actor('PCP', RPPS_SYSTEM, c.gp)] }] : []),
    ...c.permit.map((rpps) => ({ type: 'permit' as const, actor: [actor('IRCP', RPPS_SYSTEM, rpps)] })),
    ...c.structures.map((finess) => ({ type: 'permit' as const, actor: [actor('IRCP', FINESS_SYSTEM, finess)] })),
    ...c.blocked.map((rpps) => ({ type: 'deny' as const, actor: [actor('IRCP', RPPS_SYSTEM, rpps)] })),
    ...(c.opposed ? [{ type: 'deny' as const, purpose: [{ system: ACT_REASON_SYSTEM, code: 'ETREAT' }] }] : []),
  ];
  return {
    resourceType: 'Consent',
    id: c.id,
    status: 'active',
    scope: SCOPE,
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-access', display: 'Choix d’accès au DMP' }] }],
    patient: { reference: `Patient/${c.holder}` },
    dateTime: c.at.toISOString(),
    performer: [{ reference: c.performer }],
    policyRule: OPTIN,
    provision: { type: 'permit', ...(nested.length ? { provision: nested } : {}) },
  };
}

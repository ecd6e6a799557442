import type { Consent, ConsentProvision } from 'fhir/r4';
import {
  ACT_REASON_SYSTEM,
  CONSENT_CATEGORY_SYSTEM,
  EMERGENCY_PURPOSES,
  GP_ROLE,
  ROLE_CODE_SYSTEM,
} from './codes.js';
import { codesIn, codingsOf, distinct, finessOf, hasCode, referenceTarget, rppsOf } from './fhir-values.js';
import type { SecFacts } from './facts.js';

/**
 * A Consent's access facts in queryable form (DMP-RULES section 12): its DMP category, status and,
 * for the holder's access choices, who is authorised (R3.1 by RPPS, R3.2 by FINESS), who is a DMP
 * GP (R3.3, v3-RoleCode PCP), who is blocked (R3.4) and whether emergency access is opposed (R3.5).
 * Every provision at any depth counts; a nested provision without `type` takes its parent's.
 */
export function consentFacts(consent: Consent): SecFacts {
  const permitRpps: string[] = [];
  const permitFiness: string[] = [];
  const gpRpps: string[] = [];
  const blockedRpps: string[] = [];
  let emergencyOpposed = false;

  const visit = (provision: ConsentProvision, inherited: ConsentProvision['type']): void => {
    const type = provision.type ?? inherited;
    const actors = provision.actor ?? [];
    for (const actor of actors) {
      const rpps = rppsOf(actor.reference?.identifier);
      const finess = finessOf(actor.reference?.identifier);
      if (type === 'deny') {
        if (rpps) blockedRpps.push(rpps);
      } else if (type === 'permit') {
        const isGp = hasCode(codingsOf(actor.role), ROLE_CODE_SYSTEM, GP_ROLE);
        if (rpps) (isGp ? gpRpps : permitRpps).push(rpps);
        if (finess && !isGp) permitFiness.push(finess);
      }
    }
    const purposes = codesIn(codingsOf(provision.purpose), ACT_REASON_SYSTEM);
    if (type === 'deny' && actors.length === 0 && purposes.some((p) => EMERGENCY_PURPOSES.includes(p))) emergencyOpposed = true;
    for (const nested of provision.provision ?? []) visit(nested, type);
  };
  if (consent.provision) visit(consent.provision, undefined);

  const facts: SecFacts = {
    category: codesIn(codingsOf(consent.category), CONSENT_CATEGORY_SYSTEM)[0],
    status: consent.status,
    permitRpps: distinct(permitRpps),
    permitFiness: distinct(permitFiness),
    gpRpps: distinct(gpRpps),
    blockedRpps: distinct(blockedRpps),
    emergencyOpposed: emergencyOpposed || undefined,
    performer: distinct(
      (consent.performer ?? []).map((p) => {
        const target = referenceTarget(p.reference);
        return target ? `${target.type}/${target.id}` : undefined;
      }),
    ),
  };
  return facts;
}

import { resourcesOf } from './bundle.js';
import { FINESS_SYSTEM, PROFESSIONS, RPPS_SYSTEM, humanName } from './codes.js';
import { useFhir } from './use-fhir.js';

export interface PractitionerInfo {
  name: string;
  profession?: string;
}

/** The directory's practitioners by RPPS, to show names instead of bare numbers (empty while loading or if unreadable). */
export function usePractitioners(): Map<string, PractitionerInfo> {
  const { data } = useFhir<fhir4.Bundle>('Practitioner?_count=500');
  const map = new Map<string, PractitionerInfo>();
  for (const p of resourcesOf<fhir4.Practitioner>(data, 'Practitioner')) {
    const rpps = p.identifier?.find((i) => i.system === RPPS_SYSTEM)?.value;
    const profession = p.qualification?.flatMap((q) => q.code.coding ?? []).map((c) => PROFESSIONS[c.code ?? '']).find(Boolean);
    if (rpps) map.set(rpps, { name: humanName(p.name), profession });
  }
  return map;
}

/** The directory's care structures by FINESS (empty while loading or if unreadable). */
export function useOrganizations(): Map<string, string> {
  const { data } = useFhir<fhir4.Bundle>('Organization?_count=500');
  const map = new Map<string, string>();
  for (const o of resourcesOf<fhir4.Organization>(data, 'Organization')) {
    const finess = o.identifier?.find((i) => i.system === FINESS_SYSTEM)?.value;
    if (finess && o.name) map.set(finess, o.name);
  }
  return map;
}

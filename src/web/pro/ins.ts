/**
 * The INS systems of DMP-RULES section 11. The server finds a patient for a professional only by one
 * exact `system|value` (D21), so a search in every system asks each in turn.
 */
export const INS_SYSTEMS = [
  { system: 'urn:oid:1.2.250.1.213.1.4.8', label: 'INS-NIR' },
  { system: 'urn:oid:1.2.250.1.213.1.4.9', label: 'INS-NIA' },
  { system: 'urn:oid:1.2.250.1.213.1.4.10', label: 'INS de test' },
  { system: 'urn:oid:1.2.250.1.213.1.4.11', label: 'INS de démonstration' },
];

/** Why the text is not an INS, in French, or undefined when it is one (15 digits, key = 97 − NIR mod 97, D21). */
export function insProblem(ins: string): string | undefined {
  if (!/^\d{15}$/.test(ins)) return 'un INS compte 15 chiffres (le NIR de 13 chiffres suivi de sa clé de 2 chiffres)';
  const key = 97n - (BigInt(ins.slice(0, 13)) % 97n);
  if (key !== BigInt(ins.slice(13))) return `la clé de cet INS est fausse (attendue : ${key.toString().padStart(2, '0')})`;
  return undefined;
}

/** `Patient?identifier=system|INS`: one exact INS (D21). */
export function insSearch(system: string, ins: string): string {
  return `Patient?identifier=${encodeURIComponent(`${system}|${ins}`)}`;
}

export function insOfPatient(patient: fhir4.Patient): string | undefined {
  return patient.identifier?.find((i) => INS_SYSTEMS.some((s) => s.system === i.system))?.value;
}

export function patientName(patient: fhir4.Patient): string {
  const name = patient.name?.[0];
  if (!name) return `Patient ${patient.id ?? ''}`.trim();
  return name.text ?? [...(name.given ?? []), (name.family ?? '').toUpperCase()].filter(Boolean).join(' ');
}

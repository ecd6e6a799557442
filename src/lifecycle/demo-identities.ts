import type { TokenOptions } from '../access/dev-token.js';

/**
 * The people of the demo DMPs (D5, issue 7 "Demo data"), with the token claims that sign in as
 * each of them (`npm run token -- --role … --rpps …`, `POST /dev/token` with `claims`, and the web
 * sign-in page's list). Numbers are made up but well formed: RPPS (11 digits) and FINESS (9) carry
 * a valid Luhn key, each INS its key (97 minus the 13-digit number modulo 97, D21) on the demo INS
 * system. Every resource id of the demo set starts with `demo-`.
 */

/** INS-NIR of demonstration (DMP-RULES section 11: `.4.11`). */
export const DEMO_INS_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.11';

/** The 15-character INS of a 13-digit NIR: the NIR and its key, 97 − (NIR mod 97), on two digits. */
export function insOf(nir: string): string {
  if (!/^\d{13}$/.test(nir)) throw new Error(`a NIR has 13 digits, got "${nir}"`);
  return `${nir}${(97n - (BigInt(nir) % 97n)).toString().padStart(2, '0')}`;
}

/** The demo care structure: a hospital whose physicians Claire authorises as a team (R3.2, D36). */
export const DEMO_HOSPITAL = { id: 'demo-ch-saint-louis', finess: '750012346', name: 'Centre hospitalier Saint-Louis (démo)' } as const;

export const DEMO_RPPS = {
  gp: '10001000016',
  nurse: '10001000024',
  podiatrist: '10001000032',
  pharmacist: '10001000040',
  psychiatrist: '10001000057',
  emergency: '10001000065',
  blocked: '10001000073',
  regulator: '10001000081',
} as const;

/** Born 15 years before the seeding year: a minor for three more years whenever the demo is loaded. */
export function lucasBirthDate(now: Date): string {
  return `${now.getUTCFullYear() - 15}-06-14`;
}

/**
 * The holders. NIR: sex (1 man, 2 woman), year and month of birth, department, commune, order.
 * Lucas's year follows his birth date.
 */
export function demoHolders(now: Date) {
  const lucasYear = lucasBirthDate(now).slice(2, 4);
  return {
    claire: { id: 'demo-claire', family: 'Moreau', given: 'Claire', gender: 'female', birthDate: '1978-06-12', nir: '2780675112034' },
    jean: { id: 'demo-jean', family: 'Dupont', given: 'Jean', gender: 'male', birthDate: '1948-07-03', nir: '1480769123045' },
    lucas: { id: 'demo-lucas', family: 'Moreau', given: 'Lucas', gender: 'male', birthDate: lucasBirthDate(now), nir: `1${lucasYear}0675056078` },
    marc: { id: 'demo-marc', family: 'Leroy', given: 'Marc', gender: 'male', birthDate: '1972-05-20', nir: '1720513055012' },
    sophie: { id: 'demo-sophie', family: 'Petit', given: 'Sophie', gender: 'female', birthDate: '1985-09-08', nir: '2850933063021' },
  } as const;
}

export type DemoHolder = keyof ReturnType<typeof demoHolders>;

export interface DemoIdentity {
  /** Stable key (web sign-in, README). */
  key: string;
  /** Who it is, in French as the demo shows it. */
  label: string;
  /** The token claims: `POST /dev/token` body, or `npm run token` options. */
  claims: TokenOptions;
  /** What signing in as this identity lets one try, with the rules it shows. */
  shows: string;
}

const ps = (rpps: string, profession: string, specialty?: string, extra: Partial<TokenOptions> = {}): TokenOptions => ({
  role: 'professional',
  sub: `rpps-${rpps}`,
  fhirUser: `Practitioner/demo-ps-${rpps}`,
  rpps,
  profession,
  ...(specialty ? { specialty } : {}),
  purpose: 'TREAT',
  ...extra,
});

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  {
    key: 'claire',
    label: 'Claire Moreau, titulaire du DMP',
    claims: { role: 'patient', sub: 'demo-claire', fhirUser: 'Patient/demo-claire' },
    shows: 'R7.1 her whole DMP, masked documents included, except a lab result not yet released (R5.3); her access history (R10.1) and notifications; R7.2 masking, archiving, personal space and her access choices (section 3); R9.1 closing',
  },
  {
    key: 'lucas-mother',
    label: 'Claire Moreau, mère de Lucas (représentante légale)',
    claims: { role: 'legal-representative', sub: 'demo-lucas-mother', fhirUser: 'RelatedPerson/demo-lucas-mother' },
    shows: "R7.5 acts for her son Lucas (minor) but does not see the consultation he asked to keep from his parents (R5.4)",
  },
  {
    key: 'jean',
    label: 'Jean Dupont, titulaire du DMP (opposé au bris de glace)',
    claims: { role: 'patient', sub: 'demo-jean', fhirUser: 'Patient/demo-jean' },
    shows: 'R3.5 his opposition to emergency access: break-glass and the SAMU regulator are refused on his DMP',
  },
  {
    key: 'marc',
    label: 'Marc Leroy, titulaire d’un DMP fermé',
    claims: { role: 'patient', sub: 'demo-marc', fhirUser: 'Patient/demo-marc' },
    shows: 'R9.2 a closed DMP: he still reads it, writes nothing, and may reopen it with a new consent; professionals get 409',
  },
  {
    key: 'gp',
    label: 'Dr Marie Bernard, médecin généraliste, médecin traitant DMP',
    claims: ps(DEMO_RPPS.gp, '10', 'SM54'),
    shows: 'R3.3 DMP GP of Claire, Jean and Lucas: every family, masked documents included; R8.4 deposits the medical summary (VSM); R8.3 replaces her own documents',
  },
  {
    key: 'nurse',
    label: 'Julie Lambert, infirmière',
    claims: ps(DEMO_RPPS.nurse, '60'),
    shows: 'R3.1 authorised by Claire; R4.2 the nurse families only (no imaging, mental health, personal space or reimbursement); R5.1 no masked document',
  },
  {
    key: 'podiatrist',
    label: 'Thomas Girard, pédicure-podologue',
    claims: ps(DEMO_RPPS.podiatrist, '80'),
    shows: "R4.3 authorised by Claire yet sees only summaries, prevention, allergies and wishes: never the psychiatric report",
  },
  {
    key: 'pharmacist',
    label: 'Nicolas Fontaine, pharmacien',
    claims: ps(DEMO_RPPS.pharmacist, '21', 'SM21'),
    shows: 'R4.2 the pharmacist families: treatments, lab, summary, prevention, allergies, wishes and reimbursement history',
  },
  {
    key: 'psychiatrist',
    label: 'Dr Hélène Rousseau, psychiatre',
    claims: ps(DEMO_RPPS.psychiatrist, '10', 'SM42'),
    shows: 'R3.1 authorised by Claire, author of her psychiatric report; R5.1 does not see the document Claire masked',
  },
  {
    key: 'emergency',
    label: 'Dr Antoine Mercier, urgentiste au CH Saint-Louis',
    claims: ps(DEMO_RPPS.emergency, '10', 'SM59', { organization: DEMO_HOSPITAL.finess }),
    shows: 'R3.2 reaches Claire through her authorisation of his hospital; R5.1 sees the hospital letter Claire masked because he wrote it',
  },
  {
    key: 'emergency-break-glass',
    label: 'Dr Antoine Mercier, urgentiste, en bris de glace',
    claims: ps(DEMO_RPPS.emergency, '10', 'SM59', { organization: DEMO_HOSPITAL.finess, purpose: 'ETREAT' }),
    shows: "R6.1 break-glass on Lucas's DMP, which he may not otherwise reach (audited, notifies the holder: R6.4); refused on Jean's (R3.5)",
  },
  {
    key: 'blocked',
    label: 'Dr Paul Lefèvre, médecin bloqué par Claire',
    claims: ps(DEMO_RPPS.blocked, '10', 'SM26'),
    shows: "R3.4 blocked by Claire: sees nothing of her, not even through break-glass",
  },
  {
    key: 'regulator',
    label: 'Dr Sarah Cohen, médecin régulateur SAMU-Centre 15',
    claims: { role: 'regulator', sub: `rpps-${DEMO_RPPS.regulator}`, rpps: DEMO_RPPS.regulator, profession: '10', specialty: 'SM59' },
    shows: "R6.2 regulator access to Claire (audited, notified, bound by the matrix and masking); refused on Jean's DMP (R3.5)",
  },
  {
    key: 'delegate',
    label: 'Secrétariat du Dr Bernard (délégué)',
    claims: { role: 'delegate', sub: 'demo-secretariat-bernard', rpps: DEMO_RPPS.gp, profession: '10' },
    shows: "R8.1 deposits in Dr Bernard's name (the document records both); R8.2 never reads, and gets no body back",
  },
  {
    key: 'reception',
    label: 'Accueil du CH Saint-Louis',
    claims: { role: 'reception', sub: 'demo-reception-saint-louis', organization: DEMO_HOSPITAL.finess },
    shows: 'R2.2 registers patients and opens DMPs; D35 records a minor’s legal representative; R8.7 reads no clinical data',
  },
  {
    key: 'insurer-agent',
    label: 'Agent de la CPAM',
    claims: { role: 'insurer-agent', sub: 'demo-cpam-agent' },
    shows: 'R2.2 R8.7 opens and closes DMPs and checks whether one is open (Sophie Petit has none: R2.1); reads no clinical data',
  },
  {
    key: 'insurer-feed',
    label: 'Flux de remboursements de l’Assurance Maladie',
    claims: { role: 'insurer-feed', sub: 'demo-cnam-feed', fhirUser: 'Device/demo-cnam-feed' },
    shows: 'R8.5 writes reimbursement history (D17: authored by the Assurance Maladie Organization), reads nothing; R8.6 never masked',
  },
  {
    key: 'admin',
    label: 'Administrateur du serveur',
    claims: { role: 'admin', sub: 'demo-admin' },
    shows: 'R1.4 manages the directory (Practitioner, Organization) and reads the traces; no clinical data',
  },
];

export function demoIdentity(key: string): DemoIdentity {
  const identity = DEMO_IDENTITIES.find((i) => i.key === key);
  if (!identity) throw new Error(`no demo identity "${key}"`);
  return identity;
}

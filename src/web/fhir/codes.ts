import families from '../../../profiles/document-families.json';

/**
 * The codes the pages read and write (DMP-RULES sections 11 and 12) and their French labels, for
 * every space of the front-end. The families and document types come from the very file the server
 * classifies documents with (profiles/document-families.json); display only, the server decides access.
 */

export const VISIBILITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const MASKED_TO_PROFESSIONALS = 'MASQUE_PS';
export const ARCHIVED_EXTENSION = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';
export const TRE_A05 = 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
/** TRE_A03 document classes (`DocumentReference.category`). */
export const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const PROFESSION_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
export const SPECIALTY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';
export const ACCESS_MODE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R248-ModeAcces/FHIR/TRE-R248-ModeAcces';
export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
export const FINESS_SYSTEM = 'https://finess.esante.gouv.fr';
export const CONSENT_CATEGORY_SYSTEM = 'https://dmp-fhir-server.example/CodeSystem/consent-category';
export const NOTIFICATION_SYSTEM = 'https://dmp-fhir-server.example/CodeSystem/notification';
export const ROLE_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const PARTICIPATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const ACT_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
/** HL7 v2 table 0131 (contact role): `C` emergency contact. */
export const CONTACT_ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0131';
/** No official code names the French *personne de confiance* (CSP L.1111-6): our own code system. */
export const RELATIONSHIP_SYSTEM = 'https://dmp-fhir-server.example/CodeSystem/relationship';

/** TRE_A07 visibility labels (R5.1, R5.3, R5.4): their French text and badge style, in the deposit form's order. */
export const VISIBILITY_LABELS: Record<string, { text: string; kind: Badge['kind'] }> = {
  MASQUE_PS: { text: 'Masqué aux professionnels', kind: 'masked' },
  INVISIBLE_PATIENT: { text: 'Non visible par le patient', kind: 'hidden' },
  INVISIBLE_REPRESENTANTS_LEGAUX: { text: 'Masqué aux représentants légaux', kind: 'hidden' },
};

/** TRE_G15 professions, as written within a sentence (`professionLabel` for a heading or a cell). */
export const PROFESSIONS: Record<string, string> = {
  '10': 'médecin', '21': 'pharmacien', '26': 'audioprothésiste', '28': 'opticien-lunetier', '40': 'chirurgien-dentiste',
  '50': 'sage-femme', '60': 'infirmier', '69': 'infirmier psychiatrique', '70': 'masseur-kinésithérapeute',
  '80': 'pédicure-podologue', '86': 'technicien de laboratoire', '91': 'orthophoniste', '92': 'orthoptiste',
  '93': 'psychologue', '94': 'ergothérapeute', '95': 'diététicien', '96': 'psychomotricien', '98': 'manipulateur ERM',
};

/** TRE_R38 specialties the demo and the matrix use, as written within a sentence. */
export const SPECIALTIES: Record<string, string> = {
  SM21: 'pharmacie', SM25: 'médecine du travail', SM26: 'médecine générale', SM40: 'pédiatrie', SM42: 'psychiatrie',
  SM44: 'radiodiagnostic et imagerie médicale', SM53: 'médecine générale', SM54: 'médecine générale', SM59: 'médecine d’urgence',
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const professionLabel = (code: string | undefined) => (code ? capitalised(PROFESSIONS[code] ?? `profession ${code}`) : 'Profession inconnue');
export const specialtyLabel = (code: string | undefined) => (code ? capitalised(SPECIALTIES[code] ?? `spécialité ${code}`) : undefined);

/** The DMP roles (`dmp_role`), as written within a sentence. */
export const ROLES: Record<string, string> = {
  patient: 'titulaire', 'legal-representative': 'représentant légal', professional: 'professionnel de santé', delegate: 'délégué',
  regulator: 'médecin régulateur', reception: 'accueil', 'insurer-agent': 'agent de l’Assurance Maladie',
  'insurer-feed': 'flux de l’Assurance Maladie', admin: 'administrateur',
};

export type FamilyCode = keyof typeof families.families;

/** The French names of each family: short (table headers, a document's line) and as the holder's list heads them. */
const FAMILY_NAMES: Record<FamilyCode, { short: string; heading: string }> = {
  summary: { short: 'Synthèses', heading: 'Synthèses' },
  reports: { short: 'Comptes rendus', heading: 'Comptes rendus' },
  'mental-health': { short: 'Santé mentale', heading: 'Santé mentale' },
  imaging: { short: 'Imagerie', heading: 'Imagerie' },
  lab: { short: 'Biologie', heading: 'Biologie' },
  treatments: { short: 'Traitements', heading: 'Prescriptions et dispensations' },
  prevention: { short: 'Prévention', heading: 'Vaccinations et prévention' },
  allergies: { short: 'Allergies', heading: 'Allergies et antécédents' },
  wishes: { short: 'Volontés', heading: 'Directives anticipées et volontés' },
  personal: { short: 'Espace personnel', heading: 'Espace personnel' },
  reimbursement: { short: 'Remboursements', heading: 'Remboursements de l’Assurance Maladie' },
};

export interface Family {
  code: FamilyCode;
  short: string;
  heading: string;
  /** The file's description of the family. */
  description: string;
}

/** The families of DMP-RULES section 11, in the order of profiles/document-families.json. */
export const FAMILIES: Family[] = (Object.entries(families.families) as Array<[FamilyCode, string]>).map(([code, description]) => ({
  code,
  short: FAMILY_NAMES[code]?.short ?? code,
  heading: FAMILY_NAMES[code]?.heading ?? code,
  description,
}));

export const familyShort = (code: string) => FAMILIES.find((f) => f.code === code)?.short ?? code;
export const familyHeading = (code: string) => FAMILIES.find((f) => f.code === code)?.heading ?? code;

export interface DocumentType {
  system: string;
  code: string;
  family: string;
  display: string;
}

/** The document types of the file, each with its family. */
export const DOCUMENT_TYPES: DocumentType[] = families.documentTypes;

const TYPE_FAMILY = new Map(DOCUMENT_TYPES.map((t) => [`${t.system}|${t.code}`, t.family]));
const TYPE_DISPLAY = new Map(DOCUMENT_TYPES.map((t) => [`${t.system}|${t.code}`, t.display]));
const SETTING_FAMILY = new Map((families.practiceSettings as DocumentType[]).map((t) => [`${t.system}|${t.code}`, t.family]));
const REIMBURSEMENT_CLASSES = new Set((families.reimbursementClasses as Array<{ system: string; code: string }>).map((t) => `${t.system}|${t.code}`));

const keys = (codings: fhir4.Coding[] | undefined) => (codings ?? []).map((c) => `${c.system}|${c.code}`);

export function isReimbursement(doc: fhir4.DocumentReference): boolean {
  return (
    keys(doc.type?.coding).some((k) => TYPE_FAMILY.get(k) === 'reimbursement') ||
    (doc.category ?? []).some((c) => keys(c.coding).some((k) => REIMBURSEMENT_CLASSES.has(k)))
  );
}

/** For display and grouping only (the server decides access from the same file): DMP-RULES section 12. */
export function familyOf(doc: fhir4.DocumentReference): string {
  if (isReimbursement(doc)) return 'reimbursement';
  const setting = keys(doc.context?.practiceSetting?.coding).map((k) => SETTING_FAMILY.get(k)).find(Boolean);
  const byType = setting ?? keys(doc.type?.coding).map((k) => TYPE_FAMILY.get(k)).find(Boolean) ?? families.defaultFamily;
  const byHolder = (doc.author ?? []).some((a) => /^(Patient|RelatedPerson)\//.test(a.reference ?? ''));
  if (byHolder && !families.authoredByHolder.keepTypeFamilies.includes(byType)) return families.authoredByHolder.family;
  return byType;
}

/** A document's type: its coding's display, else the file's name of the code, else its text. */
export function typeLabel(doc: fhir4.DocumentReference): string {
  const coding = doc.type?.coding?.[0];
  return coding?.display ?? TYPE_DISPLAY.get(`${coding?.system}|${coding?.code}`) ?? doc.type?.text ?? coding?.code ?? 'Type inconnu';
}

/** A document's title: its description, else its first attachment's title, else its type. */
export function documentTitle(doc: fhir4.DocumentReference): string {
  return doc.description ?? doc.content?.[0]?.attachment?.title ?? typeLabel(doc);
}

export function labelsOf(doc: fhir4.DocumentReference): string[] {
  return (doc.securityLabel ?? []).flatMap((l) => (l.coding ?? []).filter((c) => c.system === VISIBILITY_SYSTEM).map((c) => c.code ?? ''));
}

export function isArchived(doc: fhir4.DocumentReference): boolean {
  return (doc.extension ?? []).some((e) => e.url === ARCHIVED_EXTENSION && e.valueBoolean === true);
}

export interface Badge {
  label: string;
  /** Style: masked to professionals, hidden from someone, archived or replaced. */
  kind: 'masked' | 'hidden' | 'archived';
}

/** The French badges of a document: its TRE_A07 labels, archived (R7.3), replaced (R8.3). */
export function documentBadges(doc: fhir4.DocumentReference): Badge[] {
  const badges: Badge[] = [...new Set(labelsOf(doc))]
    .filter((code) => VISIBILITY_LABELS[code])
    .map((code) => ({ label: VISIBILITY_LABELS[code]!.text, kind: VISIBILITY_LABELS[code]!.kind }));
  if (isArchived(doc)) badges.push({ label: 'Archivé', kind: 'archived' });
  if (doc.status === 'superseded') badges.push({ label: 'Remplacé par une nouvelle version', kind: 'archived' });
  return badges;
}

export function formatDate(value: string | undefined, withTime = false): string {
  if (!value) return 'date inconnue';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  // The DMP's calendar is France's, whatever the browser's time zone.
  return date.toLocaleString('fr-FR', { dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Europe/Paris' });
}

export function referenceLabel(ref: fhir4.Reference | undefined): string {
  if (!ref) return 'inconnu';
  if (ref.display) return ref.display;
  if (ref.identifier?.system === RPPS_SYSTEM) return `professionnel RPPS ${ref.identifier.value}`;
  if (ref.identifier?.system === FINESS_SYSTEM) return `structure FINESS ${ref.identifier.value}`;
  if (ref.reference?.startsWith('Patient/')) return 'le titulaire';
  if (ref.reference?.startsWith('RelatedPerson/')) return 'un représentant légal';
  return ref.reference ?? ref.identifier?.value ?? 'inconnu';
}

export function humanName(names: fhir4.HumanName[] | undefined): string {
  const name = names?.[0];
  if (!name) return 'sans nom';
  return name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
}

/** What each rule code the server names means, in French (DMP-RULES.md). */
export const RULE_MEANINGS: Record<string, string> = {
  'R1.3': 'Aucun accès aux données de santé pour ce rôle ou cette spécialité (médecine du travail, assureurs…)',
  'R1.4': 'L’administrateur gère l’annuaire et lit les traces, jamais les données de santé',
  'R2.1': 'Aucun DMP ouvert pour ce patient',
  'R3.1': 'Professionnel autorisé par le titulaire',
  'R3.2': 'Professionnel d’une structure de soins autorisée par le titulaire',
  'R3.3': 'Médecin traitant DMP : toutes les familles de sa profession, documents masqués compris',
  'R3.4': 'Professionnel bloqué par le titulaire : il ne voit rien, même en bris de glace',
  'R3.5': 'Le titulaire s’est opposé à l’accès en urgence',
  'R3.7': 'Ni autorisation, ni médecin traitant, ni accès en urgence : aucun accès au dossier',
  'R4.2': 'La matrice d’habilitation ne donne pas cette famille de documents à cette profession',
  'R4.4': 'La matrice d’habilitation s’applique aussi aux médecins traitants et aux accès en urgence',
  'R4.5': 'Déposer demande l’accès au dossier, pas le droit de relire la famille',
  'R5.1': 'Document masqué aux professionnels : seuls son auteur, les médecins traitants DMP, le titulaire et ses représentants le voient',
  'R5.2': 'Le titulaire ou un représentant masque et démasque ses documents (sauf remboursements)',
  'R5.3': 'Résultat non visible par le patient tant qu’il n’a pas été annoncé',
  'R5.4': 'Document masqué aux représentants légaux, à la demande du mineur',
  'R6.1': 'Accès en urgence (bris de glace)',
  'R6.2': 'Accès du médecin régulateur SAMU-Centre 15',
  'R7.1': 'Le titulaire lit tout son dossier',
  'R7.2': 'Le titulaire écrit dans son espace personnel et ses volontés',
  'R7.5': 'Le représentant légal agit pour le titulaire mineur',
  'R8.1': 'Le document a pour auteur le professionnel qui le dépose',
  'R8.2': 'Un délégué (secrétariat) dépose mais ne lit jamais',
  'R8.3': 'Seul l’auteur (ou sa structure) remplace ou supprime un document',
  'R8.4': 'Seul un médecin traitant DMP dépose le volet de synthèse médicale (VSM)',
  'R8.5': 'Seul le flux de l’Assurance Maladie écrit l’historique des remboursements',
  'R8.6': 'Les données de remboursement ne sont jamais masquées',
  'R8.7': 'L’accueil et les agents de l’Assurance Maladie ne lisent aucune donnée de santé',
  'R9.2': 'DMP fermé : plus d’accès pour les professionnels',
};

export const ruleMeaning = (rule: string) => RULE_MEANINGS[rule] ?? 'Règle du DMP (voir DMP-RULES.md)';

/** Why `$access` lists a party (D28 `role`). */
export const PARTY_ROLES: Record<string, string> = {
  author: 'auteur du document',
  authorised: 'professionnel autorisé',
  structure: 'structure de soins autorisée',
  gp: 'médecin traitant DMP',
  blocked: 'professionnel bloqué',
  asked: 'professionnel demandé',
};

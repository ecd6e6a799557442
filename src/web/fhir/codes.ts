import families from '../../../profiles/document-families.json';

/** Codes of DMP-RULES section 11 and 12 the pages read and write. */
export const VISIBILITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const MASKED_TO_PROFESSIONALS = 'MASQUE_PS';
export const ARCHIVED_EXTENSION = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';
export const TRE_A05 = 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
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

/** French badges of the visibility labels (R5.1, R5.3, R5.4) and of archiving (R7.3). */
export const LABEL_BADGES: Record<string, { text: string; className: string }> = {
  MASQUE_PS: { text: 'Masqué aux professionnels', className: 'masked' },
  INVISIBLE_REPRESENTANTS_LEGAUX: { text: 'Masqué aux représentants légaux', className: 'hidden' },
  INVISIBLE_PATIENT: { text: 'Non visible par le patient', className: 'hidden' },
};

export const PROFESSIONS: Record<string, string> = {
  '10': 'médecin', '21': 'pharmacien', '26': 'audioprothésiste', '28': 'opticien-lunetier', '40': 'chirurgien-dentiste',
  '50': 'sage-femme', '60': 'infirmier', '69': 'infirmier psychiatrique', '70': 'masseur-kinésithérapeute',
  '80': 'pédicure-podologue', '86': 'technicien de laboratoire', '91': 'orthophoniste', '92': 'orthoptiste',
  '93': 'psychologue', '94': 'ergothérapeute', '95': 'diététicien', '96': 'psychomotricien', '98': 'manipulateur ERM',
};

export const SPECIALTIES: Record<string, string> = {
  SM26: 'médecine générale', SM53: 'médecine générale', SM54: 'médecine générale', SM42: 'psychiatrie',
  SM40: 'pédiatrie', SM44: 'radiologie', SM59: 'médecine d’urgence', SM25: 'médecine du travail',
};

export const ROLES: Record<string, string> = {
  patient: 'titulaire', 'legal-representative': 'représentant légal', professional: 'professionnel de santé', delegate: 'délégué',
  regulator: 'médecin régulateur', reception: 'accueil', 'insurer-agent': 'agent de l’Assurance Maladie',
  'insurer-feed': 'flux de l’Assurance Maladie', admin: 'administrateur',
};

interface FamilyRule {
  system: string;
  code: string;
  family: string;
  display: string;
}

/** The families of DMP-RULES section 11 (profiles/document-families.json), in its order, as the holder reads them. */
export const FAMILIES: Record<string, string> = {
  summary: 'Synthèses',
  reports: 'Comptes rendus',
  'mental-health': 'Santé mentale',
  imaging: 'Imagerie',
  lab: 'Biologie',
  treatments: 'Prescriptions et dispensations',
  prevention: 'Vaccinations et prévention',
  allergies: 'Allergies et antécédents',
  wishes: 'Directives anticipées et volontés',
  personal: 'Espace personnel',
  reimbursement: 'Remboursements de l’Assurance Maladie',
};
for (const family of Object.keys(families.families)) FAMILIES[family] ??= family;
const TYPE_FAMILY = new Map((families.documentTypes as FamilyRule[]).map((t) => [`${t.system}|${t.code}`, t.family]));
const SETTING_FAMILY = new Map((families.practiceSettings as FamilyRule[]).map((t) => [`${t.system}|${t.code}`, t.family]));
const REIMBURSEMENT_CLASSES = new Set((families.reimbursementClasses as FamilyRule[]).map((t) => `${t.system}|${t.code}`));
const TYPE_DISPLAY = new Map((families.documentTypes as FamilyRule[]).map((t) => [`${t.system}|${t.code}`, t.display]));

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

export function typeLabel(doc: fhir4.DocumentReference): string {
  const coding = doc.type?.coding?.[0];
  return coding?.display ?? TYPE_DISPLAY.get(`${coding?.system}|${coding?.code}`) ?? doc.type?.text ?? 'Document';
}

export function labelsOf(doc: fhir4.DocumentReference): string[] {
  return (doc.securityLabel ?? []).flatMap((l) => (l.coding ?? []).filter((c) => c.system === VISIBILITY_SYSTEM).map((c) => c.code ?? ''));
}

export function isArchived(doc: fhir4.DocumentReference): boolean {
  return (doc.extension ?? []).some((e) => e.url === ARCHIVED_EXTENSION && e.valueBoolean === true);
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

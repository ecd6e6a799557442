import families from '../../../profiles/document-families.json';

/**
 * French labels of the codes the professional's viewer and the rules explorer show. The families
 * come from the very file the server classifies documents with (profiles/document-families.json);
 * the rest are the DMP-RULES.md section 11 terminologies and rule numbers.
 */

export const VISIBILITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const ARCHIVED_EXTENSION = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';
export const CLASS_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const LOINC = 'http://loinc.org';
const PSYCHIATRY = { system: 'http://snomed.info/sct', code: '394587001' };

/** TRE_A07 visibility labels, as badges. */
export const VISIBILITY_LABELS: Record<string, string> = {
  MASQUE_PS: 'Masqué aux professionnels',
  INVISIBLE_PATIENT: 'Non visible par le patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Masqué aux représentants légaux',
};

/** TRE_G15 professions (DMP-RULES section 11). */
export const PROFESSIONS: Record<string, string> = {
  '10': 'Médecin',
  '21': 'Pharmacien',
  '26': 'Audioprothésiste',
  '28': 'Opticien-lunetier',
  '40': 'Chirurgien-dentiste',
  '50': 'Sage-femme',
  '60': 'Infirmier',
  '69': 'Infirmier psychiatrique',
  '70': 'Masseur-kinésithérapeute',
  '80': 'Pédicure-podologue',
  '86': 'Technicien de laboratoire',
  '91': 'Orthophoniste',
  '92': 'Orthoptiste',
  '93': 'Psychologue',
  '94': 'Ergothérapeute',
  '95': 'Diététicien',
  '96': 'Psychomotricien',
  '98': 'Manipulateur ERM',
};

/** TRE_R38 specialties the demo and the matrix use. */
export const SPECIALTIES: Record<string, string> = {
  SM21: 'Pharmacie',
  SM25: 'Médecine du travail',
  SM26: 'Médecine générale',
  SM40: 'Pédiatrie',
  SM42: 'Psychiatrie',
  SM44: 'Radiodiagnostic et imagerie médicale',
  SM53: 'Médecine générale',
  SM54: 'Médecine générale',
  SM59: 'Médecine d’urgence',
};

export const professionLabel = (code: string | undefined) => (code ? (PROFESSIONS[code] ?? `Profession ${code}`) : 'Profession inconnue');
export const specialtyLabel = (code: string | undefined) => (code ? (SPECIALTIES[code] ?? `Spécialité ${code}`) : undefined);

export type FamilyCode = keyof typeof families.families;

/** The families in the order of the file, with their French description. */
export const FAMILIES: Array<{ code: FamilyCode; label: string }> = (Object.entries(families.families) as Array<[FamilyCode, string]>).map(
  ([code, label]) => ({ code, label }),
);

/** Short French names of the families, for table headers and badges. */
export const FAMILY_SHORT: Record<string, string> = {
  summary: 'Synthèses',
  reports: 'Comptes rendus',
  'mental-health': 'Santé mentale',
  imaging: 'Imagerie',
  lab: 'Biologie',
  treatments: 'Traitements',
  prevention: 'Prévention',
  allergies: 'Allergies',
  wishes: 'Volontés',
  personal: 'Espace personnel',
  reimbursement: 'Remboursements',
};

export const familyShort = (code: string) => FAMILY_SHORT[code] ?? code;
export const familyLabel = (code: string) => FAMILIES.find((f) => f.code === code)?.label ?? code;

export interface DocumentType {
  system: string;
  code: string;
  family: string;
  display: string;
}

export const DOCUMENT_TYPES: DocumentType[] = families.documentTypes;

const sameCode = (a: fhir4.Coding, b: { system: string; code: string }) => a.system === b.system && a.code === b.code;

/**
 * The family the server files a document under, for display only (the server decides access):
 * reimbursement first, then a psychiatric practice setting, then the type, else the default; a
 * document the holder wrote falls in their personal space (the file's `notes`).
 */
export function familyOf(doc: fhir4.DocumentReference): string {
  const classes = (doc.category ?? []).flatMap((c) => c.coding ?? []);
  if (families.reimbursementClasses.some((r) => classes.some((c) => sameCode(c, r)))) return 'reimbursement';
  const types = doc.type?.coding ?? [];
  const typeFamily = DOCUMENT_TYPES.find((t) => types.some((c) => sameCode(c, t)))?.family;
  if (typeFamily === 'reimbursement') return typeFamily;
  const psychiatric = (doc.context?.practiceSetting?.coding ?? []).some((c) => sameCode(c, PSYCHIATRY));
  const family = psychiatric ? 'mental-health' : (typeFamily ?? families.defaultFamily);
  const byHolder = (doc.author ?? []).some((a) => /^(Patient|RelatedPerson)\//.test(a.reference ?? ''));
  const { authoredByHolder } = families;
  return byHolder && !authoredByHolder.keepTypeFamilies.includes(family) ? authoredByHolder.family : family;
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

export interface Badge {
  label: string;
  /** Style: masked to professionals, hidden from someone, archived or replaced. */
  kind: 'masked' | 'hidden' | 'archived';
}

/** The French badges of a document: its TRE_A07 labels, archived, replaced. */
export function documentBadges(doc: fhir4.DocumentReference): Badge[] {
  const codes = new Set(
    (doc.securityLabel ?? [])
      .flatMap((label) => label.coding ?? [])
      .filter((c) => c.system === VISIBILITY_SYSTEM && c.code && VISIBILITY_LABELS[c.code])
      .map((c) => c.code!),
  );
  const badges: Badge[] = [...codes].map((code) => ({ label: VISIBILITY_LABELS[code]!, kind: code === 'MASQUE_PS' ? 'masked' : 'hidden' }));
  if ((doc.extension ?? []).some((e) => e.url === ARCHIVED_EXTENSION && e.valueBoolean === true)) badges.push({ label: 'Archivé', kind: 'archived' });
  if (doc.status === 'superseded') badges.push({ label: 'Remplacé par une nouvelle version', kind: 'archived' });
  return badges;
}

/** A document's title: its description, else its first attachment's title, else its type. */
export function documentTitle(doc: fhir4.DocumentReference): string {
  return doc.description ?? doc.content?.[0]?.attachment?.title ?? doc.type?.text ?? doc.type?.coding?.[0]?.display ?? 'Document sans titre';
}

export function documentTypeLabel(doc: fhir4.DocumentReference): string {
  const coding = doc.type?.coding?.[0];
  if (!coding) return doc.type?.text ?? 'Type inconnu';
  return coding.display ?? DOCUMENT_TYPES.find((t) => t.system === coding.system && t.code === coding.code)?.display ?? coding.code ?? 'Type inconnu';
}

export function formatDate(value: string | undefined): string {
  if (!value) return 'date inconnue';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
}

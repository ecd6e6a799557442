/**
 * The common DMP document types (DMP-RULES section 11 families) with their TRE_A03 class, a French
 * title and their share of a DMP (lab results and consultation reports dominate; wishes are rare).
 */

export const LOINC = 'http://loinc.org';
export const TRE_A05 = 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
export const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const PSYCHIATRY = '394587001';

export type Family =
  | 'summary' | 'reports' | 'mental-health' | 'imaging' | 'lab' | 'treatments'
  | 'prevention' | 'allergies' | 'wishes' | 'personal' | 'reimbursement';

/** Who deposits a kind of document: a professional, the holder (personal space) or the insurer feed. */
export type Depositor = 'professional' | 'gp' | 'holder' | 'insurer';

export interface DocKind {
  family: Family;
  system: string;
  code: string;
  display: string;
  classCode: string;
  classDisplay: string;
  weight: number;
  depositor: Depositor;
  /** Professions likely to author it (TRE_G15); any authorised professional when absent. */
  authors?: readonly string[];
  /** Results a PS may hold back from the patient until an announcement consultation (R5.3). */
  announceable?: boolean;
}

const CLASS = {
  '10': 'Compte rendu',
  '11': 'Synthèse',
  '31': 'Imagerie médicale',
  '42': 'Prescription',
  '43': 'Dispensation',
  '60': 'Remboursement',
  '90': 'Document du patient',
} as const;

const kind = (
  family: Family,
  system: string,
  code: string,
  display: string,
  classCode: keyof typeof CLASS,
  weight: number,
  extra: Partial<DocKind> = {},
): DocKind => ({ family, system, code, display, classCode, classDisplay: CLASS[classCode], weight, depositor: 'professional', ...extra });

const PHYSICIAN = ['10'];
const PRESCRIBERS = ['10', '40', '50'];

export const DOC_KINDS: readonly DocKind[] = [
  kind('summary', LOINC, '60591-5', 'Synthèse du dossier médical (VSM)', '11', 2, { depositor: 'gp' }),
  kind('summary', LOINC, '34133-9', "Synthèse d'épisode de soins", '11', 3, { authors: PHYSICIAN }),
  kind('reports', LOINC, '11488-4', 'Compte rendu de consultation', '10', 13, { authors: ['10', '40', '50', '70', '91'] }),
  kind('reports', LOINC, '11490-0', "Lettre de sortie d'hospitalisation", '10', 5, { authors: PHYSICIAN }),
  kind('reports', LOINC, '34112-3', "Compte rendu d'hospitalisation", '10', 4, { authors: PHYSICIAN }),
  kind('reports', LOINC, '15507-7', 'Compte rendu de passage aux urgences', '10', 3, { authors: PHYSICIAN }),
  kind('reports', LOINC, '34874-8', 'Compte rendu opératoire', '10', 2, { authors: PHYSICIAN, announceable: true }),
  kind('mental-health', LOINC, '68599-0', 'Synthèse psychiatrique', '11', 1, { authors: PHYSICIAN }),
  kind('mental-health', LOINC, '83901-9', 'Bilan psychiatrique', '10', 0.6, { authors: ['10', '69', '93'] }),
  kind('imaging', LOINC, '18748-4', "Compte rendu d'imagerie médicale", '31', 9, { authors: PHYSICIAN, announceable: true }),
  kind('lab', LOINC, '11502-2', 'Compte rendu de biologie médicale', '10', 22, { authors: ['10', '21', '86'], announceable: true }),
  kind('treatments', LOINC, '57833-6', 'Prescription de médicaments', '42', 11, { authors: PRESCRIBERS }),
  kind('treatments', LOINC, '57832-8', "Prescription d'actes", '42', 3, { authors: PRESCRIBERS }),
  kind('treatments', LOINC, '57828-6', 'Dispensation de médicaments', '43', 5, { authors: ['21'] }),
  kind('prevention', LOINC, '87273-9', 'Note de vaccination', '10', 3, { authors: ['10', '21', '50', '60'] }),
  kind('prevention', LOINC, '11369-6', 'Historique des vaccinations', '11', 1, { authors: ['10', '60'] }),
  kind('allergies', LOINC, '48765-2', 'Allergies et intolérances', '11', 1, { authors: PHYSICIAN }),
  kind('wishes', TRE_A05, 'EXPPAT_3', 'Directives anticipées', '90', 0.5, { depositor: 'holder' }),
  kind('wishes', TRE_A05, 'EXPPAT_1', 'Volontés et droits du patient, don d’organes', '90', 0.3, { depositor: 'holder' }),
  kind('personal', TRE_A05, 'DOCPAT01', 'Document déposé par le patient', '90', 1.5, { depositor: 'holder' }),
  kind('personal', TRE_A05, 'EXPPAT_2', 'Autre document du patient', '90', 0.5, { depositor: 'holder' }),
  kind('reimbursement', TRE_A05, 'REMB', "Historique des remboursements de l'Assurance Maladie", '60', 6, { depositor: 'insurer' }),
];

export const DOC_KIND_WEIGHTS: ReadonlyArray<readonly [DocKind, number]> = DOC_KINDS.map((k) => [k, k.weight] as const);

import type { DocumentReference, Reference } from 'fhir/r4';
import { ARCHIVED_EXTENSION, FINESS_SYSTEM, RPPS_SYSTEM, VISIBILITY_SYSTEM } from '../../src/access/codes.js';
import { SNOMED } from './french-data.js';
import type { DocKind } from './doc-types.js';
import { PSYCHIATRY, TRE_A03 } from './doc-types.js';
import type { Professional, Structure } from './pool.js';
import type { Rng } from './prng.js';

/** One DocumentReference of a holder's DMP, shaped as an IHE MHD / PDSm document entry. */

const V3_CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const FORMAT_CODES = 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode';

/** Where a physician's documents come from (SNOMED CT practice settings), by TRE_R38 specialty. */
const PRACTICE_SETTING: Record<string, [string, string]> = {
  SM54: ['419772000', 'Médecine générale'],
  SM26: ['419772000', 'Médecine générale'],
  SM53: ['419772000', 'Médecine générale'],
  SM42: [PSYCHIATRY, 'Psychiatrie'],
  SM40: ['394537008', 'Pédiatrie'],
  SM44: ['394914008', 'Radiologie'],
  SM59: ['773568002', 'Médecine d’urgence'],
};

export type DocAuthor =
  | { kind: 'professional'; ps: Professional }
  | { kind: 'holder'; reference: string; display: string }
  | { kind: 'insurer'; org: Structure };

export interface DocSpec {
  id: string;
  holder: string;
  kind: DocKind;
  author: DocAuthor;
  deposited: Date;
  labels: string[];
  /** An explicit v3-Confidentiality `N` beside no TRE_A07 label. */
  normal: boolean;
  archived: boolean;
  status: 'current' | 'superseded';
  replaces?: string;
  binary?: string;
  uniqueId: string;
  /** The attachment's size and SHA-1 (base64). */
  size: number;
  hash: string;
}

function authorReference(author: DocAuthor): Reference[] {
  switch (author.kind) {
    case 'professional': {
      const { ps } = author;
      const display = `${ps.profession === '10' ? 'Dr ' : ''}${ps.given} ${ps.family.toUpperCase()}`;
      return [{ reference: `Practitioner/${ps.id}`, identifier: { system: RPPS_SYSTEM, value: ps.rpps }, display }];
    }
    case 'holder':
      return [{ reference: author.reference, display: author.display }];
    case 'insurer':
      return [{ reference: `Organization/${author.org.id}`, identifier: { system: FINESS_SYSTEM, value: author.org.finess }, display: author.org.name }];
  }
}

function practiceSetting(spec: DocSpec): string[] | undefined {
  if (spec.kind.family === 'mental-health') return [PSYCHIATRY, 'Psychiatrie'];
  // a specialty says where reports come from; results and prescriptions carry no practice setting
  if (!['summary', 'reports', 'imaging'].includes(spec.kind.family)) return undefined;
  if (spec.author.kind !== 'professional' || !spec.author.ps.specialty) return undefined;
  return PRACTICE_SETTING[spec.author.ps.specialty];
}

export function documentReference(spec: DocSpec): DocumentReference {
  const { kind } = spec;
  const setting = practiceSetting(spec);
  const date = spec.deposited.toISOString();
  const security = [
    ...spec.labels.map((code) => ({ coding: [{ system: VISIBILITY_SYSTEM, code }] })),
    ...(spec.normal ? [{ coding: [{ system: V3_CONFIDENTIALITY, code: 'N', display: 'normal' }] }] : []),
  ];
  return {
    resourceType: 'DocumentReference',
    id: spec.id,
    ...(spec.archived ? { extension: [{ url: ARCHIVED_EXTENSION, valueBoolean: true }] } : {}),
    masterIdentifier: { system: 'urn:ietf:rfc:3986', value: spec.uniqueId },
    identifier: [{ use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${spec.id}` }],
    status: spec.status,
    docStatus: 'final',
    type: { coding: [{ system: kind.system, code: kind.code, display: kind.display }] },
    category: [{ coding: [{ system: TRE_A03, code: kind.classCode, display: kind.classDisplay }] }],
    subject: { reference: `Patient/${spec.holder}` },
    date,
    author: authorReference(spec.author),
    ...(spec.replaces ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${spec.replaces}` } }] } : {}),
    description: kind.display,
    ...(security.length ? { securityLabel: security } : {}),
    content: [
      {
        attachment: {
          contentType: 'application/pdf',
          language: 'fr-FR',
          ...(spec.binary ? { url: `Binary/${spec.binary}` } : {}),
          size: spec.size,
          hash: spec.hash,
          title: kind.display,
          creation: date,
        },
        format: { system: FORMAT_CODES, code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
      },
    ],
    context: {
      period: { start: date, end: date },
      ...(setting ? { practiceSetting: { coding: [{ system: SNOMED, code: setting[0], display: setting[1] }] } } : {}),
      ...(spec.author.kind === 'professional' && spec.author.ps.organization
        ? { sourcePatientInfo: { reference: `Patient/${spec.holder}` } }
        : {}),
    },
  };
}

/** A small PDF-looking payload: the Binary of a document when the data set includes contents. */
export function pdfBytes(rng: Rng, title: string): string {
  const text = `%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\n% ${rng.base64(48)}\n%%EOF\n`;
  return Buffer.from(text, 'utf8').toString('base64');
}

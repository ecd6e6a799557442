import { TRE_A03, VISIBILITY_SYSTEM, type DocumentType } from '../fhir/codes.js';

/**
 * An IHE MHD ITI-65 Provide Document Bundle for one file: a transaction carrying the SubmissionSet
 * `List`, the DocumentReference and its Binary, linked by `urn:uuid` fullUrls that the server
 * rewrites (D11). The author is left out: the server records the caller, or for a delegate the
 * professional of its token (R8.1).
 */

export const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';

/** TRE_A03 class of a deposit, from its family (a dispensation has its own class). */
function classOf(type: DocumentType): string {
  if (type.code === '57828-6') return '43';
  switch (type.family) {
    case 'summary':
    case 'mental-health':
      return '11';
    case 'imaging':
      return '31';
    case 'treatments':
      return '42';
    case 'wishes':
      return '90';
    default:
      return '10';
  }
}

export interface Deposit {
  /** `Patient/<id>`. */
  patient: string;
  type: DocumentType;
  title: string;
  fileName: string;
  contentType: string;
  /** The file, base64. */
  data: string;
  size: number;
  /** TRE_A07 codes set at deposit (R5.2, R5.3, R5.4). */
  labels: string[];
  now?: Date;
  /** Fresh ids, injectable for tests. */
  uuid?: () => string;
}

export function provideDocumentBundle(deposit: Deposit): fhir4.Bundle {
  const uuid = deposit.uuid ?? (() => crypto.randomUUID());
  const [list, document, binary] = [uuid(), uuid(), uuid()].map((id) => `urn:uuid:${id}`) as [string, string, string];
  const date = (deposit.now ?? new Date()).toISOString();
  const subject = { reference: deposit.patient };
  const submissionSet: fhir4.List = {
    resourceType: 'List',
    status: 'current',
    mode: 'working',
    code: { coding: [{ system: MHD_LIST_TYPES, code: 'submissionset' }] },
    subject,
    date,
    entry: [{ item: { reference: document } }],
  };
  const documentReference: fhir4.DocumentReference = {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: deposit.type.system, code: deposit.type.code, display: deposit.type.display }] },
    category: [{ coding: [{ system: TRE_A03, code: classOf(deposit.type) }] }],
    subject,
    date,
    description: deposit.title,
    ...(deposit.labels.length ? { securityLabel: deposit.labels.map((code) => ({ coding: [{ system: VISIBILITY_SYSTEM, code }] })) } : {}),
    content: [{ attachment: { contentType: deposit.contentType, language: 'fr-FR', url: binary, title: deposit.fileName, size: deposit.size } }],
  };
  const content: fhir4.Binary = {
    resourceType: 'Binary',
    contentType: deposit.contentType,
    securityContext: { reference: document },
    data: deposit.data,
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: list, resource: submissionSet, request: { method: 'POST', url: 'List' } },
      { fullUrl: document, resource: documentReference, request: { method: 'POST', url: 'DocumentReference' } },
      { fullUrl: binary, resource: content, request: { method: 'POST', url: 'Binary' } },
    ],
  };
}

/** The `Type/id` of the first entry of that type in a transaction-response (its `location`). */
export function createdReference(response: fhir4.Bundle, type: string): string | undefined {
  for (const entry of response.entry ?? []) {
    const match = new RegExp(`(?:^|/)(${type}/[A-Za-z0-9\\-.]{1,64})(?:/_history/|$)`).exec(entry.response?.location ?? '');
    if (match) return match[1];
  }
  return undefined;
}

import type { Binary, Bundle, DocumentReference, List } from 'fhir/r4';
import { DOC_KINDS } from './doc-types.js';
import { documentReference } from './documents.js';
import type { Professional } from './pool.js';
import { Rng } from './prng.js';

/**
 * An IHE MHD ITI-65 Provide Document Bundle as an EHR sends one to the DMP: a transaction with the
 * SubmissionSet List, one DocumentReference (a consultation report written by the caller) and its
 * Binary content, linked by `urn:uuid` fullUrls. Built once per (professional, holder) as a
 * template; each request fills in fresh UUIDs and unique ids (`fill`), so every bundle deposits a
 * new document.
 */

const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/';

/** Resources each bundle writes: SubmissionSet, DocumentReference, Binary. */
export const RESOURCES_PER_BUNDLE = 3;

const SS = '__SUBMISSION_SET__';
const DOC = '__DOCUMENT__';
const BIN = '__BINARY__';
const UNIQUE = '__UNIQUE__';

export function provideBundleTemplate(ps: Professional, holder: string, binaryBytes: number, seed: string): string {
  const rng = Rng.forKey(seed, 'iti65', ps.rpps, holder);
  const now = new Date().toISOString();
  const kind = DOC_KINDS.find((k) => k.code === '11488-4')!;
  const doc: DocumentReference = documentReference({
    id: 'template',
    holder,
    kind,
    author: { kind: 'professional', ps },
    deposited: new Date(now),
    labels: [],
    normal: true,
    archived: false,
    status: 'current',
    uniqueId: `urn:oid:1.2.250.1.213.1.1.9.${UNIQUE}`,
    size: binaryBytes,
    hash: rng.base64(20),
  });
  delete doc.id;
  doc.identifier = [{ use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${DOC}` }];
  doc.content[0]!.attachment.url = `urn:uuid:${BIN}`;
  const list: List = {
    resourceType: 'List',
    meta: { profile: [`${MHD}IHE.MHD.Comprehensive.SubmissionSet`] },
    extension: [{ url: `${MHD}ihe-sourceId`, valueIdentifier: { value: 'urn:oid:1.2.250.1.999.1.1' } }],
    identifier: [{ use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:1.2.250.1.213.1.1.8.${UNIQUE}` }],
    status: 'current',
    mode: 'working',
    code: { coding: [{ system: MHD_LIST_TYPES, code: 'submissionset' }] },
    subject: { reference: `Patient/${holder}` },
    date: now,
    entry: [{ item: { reference: `urn:uuid:${DOC}` } }],
  };
  const binary: Binary = { resourceType: 'Binary', contentType: 'application/pdf', data: pdfPayload(rng, binaryBytes) };
  const bundle: Bundle = {
    resourceType: 'Bundle',
    meta: { profile: [`${MHD}IHE.MHD.Comprehensive.ProvideBundle`] },
    type: 'transaction',
    entry: [
      { fullUrl: `urn:uuid:${SS}`, resource: list, request: { method: 'POST', url: 'List' } },
      { fullUrl: `urn:uuid:${DOC}`, resource: doc, request: { method: 'POST', url: 'DocumentReference' } },
      { fullUrl: `urn:uuid:${BIN}`, resource: binary, request: { method: 'POST', url: 'Binary' } },
    ],
  };
  return JSON.stringify(bundle);
}

/** A bundle ready to send: the template with this request's UUIDs and unique number. */
export function fill(template: string, n: number): string {
  return template
    .replaceAll(SS, crypto.randomUUID())
    .replaceAll(DOC, crypto.randomUUID())
    .replaceAll(BIN, crypto.randomUUID())
    .replaceAll(UNIQUE, `${process.pid}.${Date.now()}.${n}`);
}

function pdfPayload(rng: Rng, bytes: number): string {
  const head = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1');
  const body = Buffer.alloc(Math.max(0, bytes - head.length));
  for (let i = 0; i < body.length; i++) body[i] = rng.uint32() & 0xff;
  return Buffer.concat([head, body]).toString('base64');
}

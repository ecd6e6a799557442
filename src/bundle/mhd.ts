import type { DocumentReference, List, Resource } from 'fhir/r4';
import { referenceTarget } from '../access/fhir-values.js';
import { unprocessable } from '../fhir/errors.js';
import { keyOf, type PlannedEntry } from './plan-entry.js';
import type { EntryInput } from './read-bundle.js';

/**
 * IHE MHD ITI-65 Provide Document Bundle: a transaction carrying a SubmissionSet `List`, its
 * DocumentReferences and their Binary content. Recognised from the List's type code or its MHD
 * profile; checked for the constraints that cost nothing once the entries are planned (the
 * SubmissionSet lists exactly the documents sent, and they are all about its patient). Anything
 * else MHD requires of the documents is the ordinary validation and DMP rules of each entry.
 */

export const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
const SUBMISSION_SET_PROFILE = /^https?:\/\/profiles\.ihe\.net\/ITI\/MHD\/StructureDefinition\/IHE\.MHD\.[A-Za-z.]*SubmissionSet(\|.*)?$/;

export function isSubmissionSet(resource: Resource | undefined): resource is List {
  if (resource?.resourceType !== 'List') return false;
  const list = resource as List;
  return (
    (list.code?.coding ?? []).some((c) => c.system === MHD_LIST_TYPES && c.code === 'submissionset') ||
    (list.meta?.profile ?? []).some((p) => SUBMISSION_SET_PROFILE.test(p))
  );
}

/** Whether a transaction is an ITI-65: one of the resources it writes is a SubmissionSet. */
export function isProvideDocumentBundle(entries: readonly EntryInput[]): boolean {
  return entries.some((e) => (e.request.method === 'POST' || e.request.method === 'PUT') && isSubmissionSet(e.resource?.value as Resource | undefined));
}

const targetOf = (reference: string | undefined) => {
  const target = referenceTarget(reference);
  return target ? `${target.type}/${target.id}` : undefined;
};

/** 422 unless the SubmissionSet and the documents agree; run once every reference is rewritten. */
export function assertProvideDocumentBundle(planned: readonly PlannedEntry[]): void {
  const written = planned.flatMap((p) => {
    const resource = 'body' in p.op && p.target ? p.op.body.resource : undefined;
    return resource ? [{ resource, key: keyOf(p.target!), index: p.input.index }] : [];
  });
  const sets = written.filter((w) => isSubmissionSet(w.resource));
  if (sets.length !== 1) throw refuse('MHD_SUBMISSION_SET', `an ITI-65 Provide Document Bundle carries exactly one SubmissionSet List; this one has ${sets.length}`);
  const set = sets[0]!;
  const list = set.resource as List;
  const at = `Bundle.entry[${set.index}].resource`;

  const documents = written.filter((w) => w.resource.resourceType === 'DocumentReference');
  if (documents.length === 0) throw refuse('MHD_NO_DOCUMENT', 'an ITI-65 Provide Document Bundle carries at least one DocumentReference', [at]);
  // a matched conditional create is part of the submission too, under the id it matched
  const sent = new Set([...written.map((w) => w.key), ...planned.flatMap((p) => (p.existing ? [keyOf(p.existing)] : []))]);
  const listed = new Set<string>();
  for (const [i, item] of (list.entry ?? []).entries()) {
    const key = targetOf(item.item?.reference);
    if (!key || !sent.has(key)) {
      throw refuse('MHD_LISTED_ENTRY_MISSING', `the SubmissionSet lists ${item.item?.reference ?? 'an entry without reference'}, which this Bundle does not carry`, [`${at}.entry[${i}].item`]);
    }
    listed.add(key);
  }
  const subject = targetOf(list.subject?.reference);
  if (!subject) throw refuse('MHD_SUBJECT', 'the SubmissionSet names its patient in List.subject', [`${at}.subject`]);
  for (const doc of documents) {
    if (!listed.has(doc.key)) throw refuse('MHD_DOCUMENT_NOT_LISTED', `${doc.key} (Bundle.entry[${doc.index}]) is not listed in the SubmissionSet's entries`, [`${at}.entry`]);
    const about = targetOf((doc.resource as DocumentReference).subject?.reference);
    if (about !== subject) {
      throw refuse('MHD_SUBJECT_MISMATCH', `${doc.key} (Bundle.entry[${doc.index}]) is about ${about ?? 'no patient'}, the SubmissionSet about ${subject}`, [`Bundle.entry[${doc.index}].resource.subject`]);
    }
  }
  const contents = new Set(documents.flatMap((d) => ((d.resource as DocumentReference).content ?? []).map((c) => targetOf(c.attachment?.url))));
  for (const binary of written.filter((w) => w.resource.resourceType === 'Binary')) {
    if (!contents.has(binary.key)) throw refuse('MHD_ORPHAN_BINARY', `${binary.key} (Bundle.entry[${binary.index}]) is the content of no DocumentReference of this Bundle`, [`Bundle.entry[${binary.index}]`]);
  }
}

const refuse = (code: string, message: string, expression?: string[]) => unprocessable(code, `ITI-65: ${message}`, expression);

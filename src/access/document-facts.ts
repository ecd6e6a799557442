import type { DocumentReference, Identifier, Reference, Resource } from 'fhir/r4';
import { codingsOf, distinct, finessOf, idOf, referenceTarget, rppsOf } from './fhir-values.js';
import type { SecFacts } from './facts.js';
import { REIMBURSEMENT_FAMILY, tokenKey, type AccessRules } from './rules.js';

/**
 * The facts of a DocumentReference: its family (R4.1, from profiles/document-families.json), its
 * authors (R8.1, R8.3), whether the holder wrote it (R7.2), whether it is reimbursement data
 * (R8.6), the Binaries it points to (D15) and the documents it replaces (R8.3).
 */

interface Authors {
  rpps: string[];
  finess: string[];
  refs: string[];
}

/** An author may be a reference with an identifier, or point to a contained Practitioner(Role)/Organization. */
function collectAuthor(author: Reference, contained: Resource[], into: Authors): void {
  const identifiers: Array<Identifier | undefined> = [author.identifier];
  if (author.reference?.startsWith('#')) {
    const inner = contained.find((r) => r.id === author.reference!.slice(1)) as
      | (Resource & { identifier?: Identifier[]; practitioner?: Reference; organization?: Reference })
      | undefined;
    if (inner) {
      identifiers.push(...(inner.identifier ?? []));
      if (inner.resourceType === 'PractitionerRole') {
        for (const ref of [inner.practitioner, inner.organization]) if (ref) collectAuthor(ref, contained, into);
      }
    }
  } else {
    const target = referenceTarget(author.reference);
    if (target) into.refs.push(`${target.type}/${target.id}`);
  }
  for (const identifier of identifiers) {
    const rpps = rppsOf(identifier);
    const finess = finessOf(identifier);
    if (rpps) into.rpps.push(rpps);
    if (finess) into.finess.push(finess);
  }
}

function binaryIds(doc: DocumentReference): Array<string | undefined> {
  return (doc.content ?? []).map((c) => idOf('Binary', c.attachment?.url));
}

function firstFamily(keys: string[], table: ReadonlyMap<string, string>): string | undefined {
  for (const key of keys) {
    const family = table.get(key);
    if (family) return family;
  }
  return undefined;
}

export function documentFacts(doc: DocumentReference, holder: string | undefined, rules: AccessRules): SecFacts {
  const authors: Authors = { rpps: [], finess: [], refs: [] };
  for (const author of doc.author ?? []) collectAuthor(author, doc.contained ?? [], authors);
  const personal = authors.refs.some((ref) => ref === holder || ref.startsWith('RelatedPerson/'));

  const table = rules.families;
  const types = codingsOf(doc.type).filter((c) => c.code).map((c) => tokenKey(c.system, c.code!));
  const classes = codingsOf(doc.category).filter((c) => c.code).map((c) => tokenKey(c.system, c.code!));
  const settings = codingsOf(doc.context?.practiceSetting).filter((c) => c.code).map((c) => tokenKey(c.system, c.code!));

  const reimbursement =
    types.some((t) => table.byType.get(t) === REIMBURSEMENT_FAMILY) || classes.some((c) => table.reimbursementClasses.has(c));
  let family = reimbursement
    ? REIMBURSEMENT_FAMILY
    : (firstFamily(settings, table.byPracticeSetting) ?? firstFamily(types, table.byType) ?? table.defaultFamily);
  if (personal && !reimbursement && !table.keepTypeFamilies.has(family)) family = table.holderFamily;

  return {
    family,
    types: types.length ? types : undefined,
    authorRpps: distinct(authors.rpps),
    authorFiness: distinct(authors.finess),
    authorRefs: distinct(authors.refs.filter((r) => r.startsWith('Patient/') || r.startsWith('RelatedPerson/'))),
    personal: personal || undefined,
    reimbursement: reimbursement || undefined,
    binaries: distinct(binaryIds(doc)),
    replaces: distinct((doc.relatesTo ?? []).filter((r) => r.code === 'replaces').map((r) => idOf('DocumentReference', r.target))),
  };
}

import type { Binary, DocumentReference, List, Patient } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import { bundleOf, locationOf, plainPatient, postEntry, readStored, sendBundle, storeCounts, urn } from './bundle-helpers.js';

const XHTML = 'http://www.w3.org/1999/xhtml';

describe.each(STORE_KINDS)('urn:uuid references in a transaction on the %s store (D11)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind, accessControl: false });
  });
  afterEach(() => t.close());

  it('rewrites every fullUrl wherever it stands, whatever the order of the entries', async () => {
    const [p, d, b, l] = [urn(), urn(), urn(), urn()];
    const patient = {
      ...plainPatient('Durand'),
      // a string that happens to hold the fullUrl is an identifier, not a reference: kept as sent
      identifier: [{ system: 'urn:ietf:rfc:3986', value: p }],
      text: { status: 'generated', div: `<div xmlns="${XHTML}"><p>See <a href="${d}">the report</a> and <a href='${b}'>its content</a>, not <a href="urn:uuid:elsewhere">this</a>.</p></div>` },
    } as Patient;
    const document: DocumentReference = {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: p },
      contained: [{ resourceType: 'RelatedPerson', id: 'rp', patient: { reference: p } }],
      author: [{ reference: '#rp' }],
      extension: [
        { url: 'https://example.org/fhir/StructureDefinition/about', valueReference: { reference: p } },
        { url: 'https://example.org/fhir/StructureDefinition/source', valueUri: b },
      ],
      content: [{ attachment: { contentType: 'application/pdf', url: b } }],
    };
    const binary: Binary = { resourceType: 'Binary', contentType: 'application/pdf', data: 'JVBERi0=', securityContext: { reference: d } };
    const list: List = { resourceType: 'List', status: 'current', mode: 'working', subject: { reference: p }, entry: [{ item: { reference: d } }] };
    // every entry refers to entries that come after it
    const res = await sendBundle(t.request, bundleOf('transaction', [postEntry(l, list), postEntry(d, document), postEntry(b, binary), postEntry(p, patient)]));
    expect(res.status, res.text).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [listRef, docRef, binRef, patRef] = res.body.entry.map(locationOf);

    const storedList = await readStored<List>(t.store, listRef);
    expect(storedList.subject?.reference).toBe(patRef);
    expect(storedList.entry?.[0]?.item.reference).toBe(docRef);
    const storedDoc = await readStored<DocumentReference>(t.store, docRef);
    expect(storedDoc.subject?.reference).toBe(patRef);
    expect(storedDoc.content[0]?.attachment.url).toBe(binRef);
    expect(storedDoc.extension?.[0]?.valueReference?.reference).toBe(patRef);
    expect(storedDoc.extension?.[1]?.valueUri).toBe(binRef);
    expect((storedDoc.contained?.[0] as { patient: { reference: string } }).patient.reference).toBe(patRef);
    expect(storedDoc.author?.[0]?.reference).toBe('#rp');
    expect((await readStored<Binary>(t.store, binRef)).securityContext?.reference).toBe(docRef);
    const storedPatient = await readStored<Patient>(t.store, patRef);
    expect(storedPatient.identifier?.[0]?.value).toBe(p);
    expect(storedPatient.text?.div).toContain(`href="${docRef}"`);
    expect(storedPatient.text?.div).toContain(`href='${binRef}'`);
    expect(storedPatient.text?.div).toContain('href="urn:uuid:elsewhere"');
    // the references are searchable as ordinary ones
    const search = await t.request.get(`/fhir/DocumentReference?subject=${patRef}`);
    expect(search.body.total).toBe(1);
  });

  it('rewrites a fullUrl given as an absolute URL', async () => {
    const p = 'http://other.example/fhir/Patient/abc';
    const allergy = { resourceType: 'AllergyIntolerance', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] }, patient: { reference: p } };
    const res = await sendBundle(t.request, bundleOf('transaction', [postEntry(urn(), allergy as never), postEntry(p, plainPatient('Petit'))]));
    expect(res.status, res.text).toBe(200);
    const stored = await readStored<{ patient: { reference: string } } & DocumentReference>(t.store, locationOf(res.body.entry[0]));
    expect(stored.patient.reference).toBe(locationOf(res.body.entry[1]));
  });

  it('refuses a urn:uuid reference that names no entry of the Bundle, storing nothing', async () => {
    const before = await storeCounts(t.store);
    const list: List = { resourceType: 'List', status: 'current', mode: 'working', entry: [{ item: { reference: urn() } }] };
    const res = await sendBundle(t.request, bundleOf('transaction', [postEntry(urn(), plainPatient('Roux')), postEntry(urn(), list)]));
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('UNRESOLVED_PLACEHOLDER');
    expect(res.body.issue[0].diagnostics).toMatch(/^Bundle\.entry\[1\] \(POST List\)/);
    expect(await storeCounts(t.store)).toEqual(before);
  });
});

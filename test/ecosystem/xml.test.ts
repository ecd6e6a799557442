import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Issue 9: no well-kept FHIR XML converter is available, so XML is refused cleanly (README "Ecosystem"). */
describe('FHIR XML', () => {
  it('answers 406 with an OperationOutcome to a request for XML, by Accept or _format', async () => {
    t = await createTestApp();
    const byAccept = await t.request.get('/fhir/Organization').set('accept', 'application/fhir+xml');
    const byFormat = await t.request.get('/fhir/metadata?_format=xml');
    for (const res of [byAccept, byFormat]) {
      expect(res.status).toBe(406);
      expect(JSON.parse(res.text).issue[0].code).toBe('not-supported');
    }
  });

  it('refuses an XML body with 415 and an OperationOutcome', async () => {
    t = await createTestApp();
    const res = await t.request
      .post('/fhir/Organization')
      .set('content-type', 'application/fhir+xml')
      .send('<Organization xmlns="http://hl7.org/fhir"><name value="X"/></Organization>');
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text).issue[0].details.coding[0].code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lists JSON formats only in the CapabilityStatement', async () => {
    t = await createTestApp();
    const { body } = await t.anonymous.get('/fhir/metadata');
    expect(body.format).toEqual(['application/fhir+json', 'application/json']);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FHIR_JSON, created, patient } from '../helpers/fhir.js';

const CLIENTS = 20;
const ROUNDS = 5;

describe('concurrent writers', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ accessControl: false });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets exactly one If-Match update per version win and loses no update', async () => {
    const first = await created(t, patient('Course'));
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const current = (await t.request.get(`/fhir/Patient/${first.id}`)).body as { meta: { versionId: string } };
      const version = current.meta.versionId;
      const answers = await Promise.all(
        Array.from({ length: CLIENTS }, (_, client) =>
          t.request
            .put(`/fhir/Patient/${first.id}`)
            .set('content-type', FHIR_JSON)
            .set('if-match', `W/"${version}"`)
            .send(JSON.stringify({ ...first, meta: undefined, name: [{ family: `Round${round}Client${client}` }] })),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      const successes = answers.filter((a) => a.status === 200);
      expect(successes, `round ${round}: ${statuses.join(',')}`).toHaveLength(1);
      for (const loser of answers.filter((a) => a.status !== 200)) {
        expect(loser.status).toBe(412);
        expect(loser.body.resourceType).toBe('OperationOutcome');
      }
      winners.push((successes[0]!.body as { name: Array<{ family: string }> }).name[0]!.family);
    }
    const final = await t.request.get(`/fhir/Patient/${first.id}`);
    expect(final.body.meta.versionId).toBe(String(ROUNDS + 1));
    expect(final.body.name[0].family).toBe(winners.at(-1));
    const history = await t.request.get(`/fhir/Patient/${first.id}/_history?_count=100`);
    const families = (history.body.entry as Array<{ resource: { name: Array<{ family: string }> } }>).map((e) => e.resource.name[0]!.family);
    expect(history.body.total ?? history.body.entry.length).toBe(ROUNDS + 1);
    for (const winner of winners) expect(families).toContain(winner);
    console.info(`If-Match: ${ROUNDS} rounds of ${CLIENTS} concurrent updates of one version: ${winners.length} successes (one per version), ${ROUNDS * (CLIENTS - 1)} × 412, no lost update`);
  }, 60_000);

  it('gives 200 parallel creates 200 distinct ids, all readable', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.request.post('/fhir/Patient').set('content-type', FHIR_JSON).send(JSON.stringify(patient(`Parallele${i}`))),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const ids = answers.map((a) => a.body.id as string);
    expect(new Set(ids).size).toBe(200);
    const reads = await Promise.all(ids.map((id) => t.request.get(`/fhir/Patient/${id}`)));
    expect(reads.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(reads.map((r) => r.body.id)).toEqual(ids);
    console.info(`parallel creates: ${ids.length} requests, ${new Set(ids).size} distinct ids, all readable`);
  }, 60_000);
});

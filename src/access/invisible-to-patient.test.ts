import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, doc, NOW, openAccessTestStore, readById, RPPS, visible, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/** R5.3: an INVISIBLE_PATIENT result is released one month after deposit, by the injected clock, or by a professional. */

const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

describe('R5.3 invisible to the patient', () => {
  let fixture: AccessTestStore;

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  it('R5.3 hides a result deposited 10 days ago from the holder', async () => {
    const pipeline = createAccessPipeline({ clock: () => NOW });
    expect(await readById(pipeline, fixture.store, CALLERS.alice, 'DocumentReference', 'a-invisible-new')).toEqual({ status: 404, rule: 'R5.3' });
  });

  it('R5.3 still hides it 29 days after deposit', async () => {
    const pipeline = createAccessPipeline({ clock: () => later(19) });
    expect(await readById(pipeline, fixture.store, CALLERS.alice, 'DocumentReference', 'a-invisible-new')).toEqual({ status: 404, rule: 'R5.3' });
  });

  it('R5.3 releases it one month after deposit, in reads and in searches', async () => {
    const pipeline = createAccessPipeline({ clock: () => later(21) });
    expect(await readById(pipeline, fixture.store, CALLERS.alice, 'DocumentReference', 'a-invisible-new')).toEqual({ status: 200 });
    const seen = await visible(pipeline, fixture.store, CALLERS.alice, 'DocumentReference', { criteria: { id: { $in: ['a-invisible-new', 'a-invisible-old'] } } });
    expect(seen).toEqual({ ids: ['a-invisible-new', 'a-invisible-old'], count: 2 });
  });

  it('R5.3 releases it for reps after one month too', async () => {
    expect(await readById(createAccessPipeline({ clock: () => NOW }), fixture.store, CALLERS.danMother, 'DocumentReference', 'd-invisible-new')).toEqual({
      status: 404,
      rule: 'R5.3',
    });
    expect(await readById(createAccessPipeline({ clock: () => later(27) }), fixture.store, CALLERS.danMother, 'DocumentReference', 'd-invisible-new')).toEqual({
      status: 200,
    });
  });

  it('R5.3 a professional’s release (an update removing the label) shows it at once, keeping its deposit date', async () => {
    const pipeline = createAccessPipeline({ clock: () => NOW });
    const before = (await fixture.store.read('DocumentReference', 'a-invisible-new'))!;
    await fixture.put([{ resource: doc('a-invisible-new', 'alice', { type: ['http://loinc.org', '11502-2'], authorRpps: RPPS.author }) }]);
    const after = (await fixture.store.read('DocumentReference', 'a-invisible-new'))!;
    expect(after.sec.deposited).toBe(before.sec.deposited);
    expect(await readById(pipeline, fixture.store, CALLERS.alice, 'DocumentReference', 'a-invisible-new')).toEqual({ status: 200 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, relatedPerson, visible, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/** R7.5, D34: a rep's rights end with the holder's minority or the RelatedPerson's period, with no manual step. */

describe('R7.5 legal representatives', () => {
  let fixture: AccessTestStore;

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  it('R7.5 a rep sees the minor’s record today', async () => {
    const seen = await visible(createAccessPipeline({ clock: () => NOW }), fixture.store, CALLERS.danMother, 'DocumentReference');
    expect(seen).toEqual({ ids: ['d-masked', 'd-report'], count: 2 });
  });

  it('R7.5 the rep still sees it the day before the 18th birthday (Paris calendar)', async () => {
    // 2030-05-31 23:30 in Paris is 21:30 UTC
    const seen = await visible(createAccessPipeline({ clock: () => new Date('2030-05-31T21:30:00Z') }), fixture.store, CALLERS.danMother, 'DocumentReference');
    expect(seen).toEqual({ ids: ['d-invisible-new', 'd-masked', 'd-report'], count: 3 });
  });

  it('R7.5 the rep sees nothing from the 18th birthday on (Paris calendar), though it is still 31 May in UTC', async () => {
    const seen = await visible(createAccessPipeline({ clock: () => new Date('2030-05-31T22:30:00Z') }), fixture.store, CALLERS.danMother, 'DocumentReference');
    expect(seen).toEqual({ ids: [], count: 0 });
  });

  it('R7.5 a rep whose RelatedPerson period ends loses access the next day', async () => {
    await fixture.put([{ resource: relatedPerson('dan-mother', 'dan', 'PRN', { start: '2012-06-01', end: '2025-03-20' }) }]);
    const onTheDay = await visible(createAccessPipeline({ clock: () => new Date('2025-03-20T20:00:00Z') }), fixture.store, CALLERS.danMother, 'DocumentReference');
    const dayAfter = await visible(createAccessPipeline({ clock: () => new Date('2025-03-20T23:30:00Z') }), fixture.store, CALLERS.danMother, 'DocumentReference');
    expect(onTheDay).toEqual({ ids: ['d-masked', 'd-report'], count: 2 });
    expect(dayAfter).toEqual({ ids: [], count: 0 });
    await fixture.put([{ resource: relatedPerson('dan-mother', 'dan', 'PRN', { start: '2012-06-01' }) }]);
  });

  it('R7.5 a RelatedPerson that is not a parent or guardian represents nobody', async () => {
    await fixture.put([{ resource: relatedPerson('dan-neighbour', 'dan', 'NBOR') }]);
    const neighbour = { ...CALLERS.danMother, sub: 'neighbour', fhirUser: 'RelatedPerson/dan-neighbour' as const };
    expect(await visible(createAccessPipeline({ clock: () => NOW }), fixture.store, neighbour, 'DocumentReference')).toEqual({ ids: [], count: 0 });
  });
});

import type { DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doc, openAccessTestStore, type AccessTestStore } from '../access/test-fixture.js';
import { loadConfig } from '../config.js';
import { FhirError } from '../fhir/errors.js';
import type { RequestContext } from '../interactions/context.js';
import { create } from '../interactions/create.js';
import { readResourceBody } from '../interactions/resource-body.js';
import { createUnitOfWork } from '../interactions/unit-of-work.js';
import { replacedIds, withReplacement } from './replacement.js';

const replacing = (...targets: string[]): DocumentReference => {
  const { id: _id, ...rest } = doc('x', 'alice', { authorRpps: '10001000016' });
  return { ...rest, relatesTo: targets.map((t) => ({ code: 'replaces' as const, target: { reference: t } })) };
};

const body = (resource: DocumentReference) => readResourceBody('DocumentReference', Buffer.from(JSON.stringify(resource)));

let t: AccessTestStore;
let ctx: RequestContext;
beforeEach(async () => {
  t = await openAccessTestStore([{ resource: doc('old', 'alice') }, { resource: doc('bob-doc', 'bob') }]);
  const config = loadConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
  ctx = { services: { config, store: t.store, clock: () => new Date() }, baseUrl: config.baseUrl };
});
afterEach(() => t.close());

const statusOf = async (id: string) => ((await t.store.read('DocumentReference', id))?.resource as DocumentReference | undefined)?.status;
const error = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (err) {
    if (err instanceof FhirError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'written';
};

describe('R8.3 replacement', () => {
  it('reads the documents a DocumentReference replaces, relative or absolute, once each', () => {
    expect(replacedIds(replacing('DocumentReference/a', 'https://dmp.example/fhir/DocumentReference/b', 'DocumentReference/a'))).toEqual(['a', 'b']);
    const appends: DocumentReference = { ...replacing('DocumentReference/a'), relatesTo: [{ code: 'appends', target: { reference: 'DocumentReference/a' } }] };
    expect(replacedIds(appends)).toEqual([]);
    expect(replacedIds({ resourceType: 'Patient' })).toEqual([]);
    expect(() => replacedIds(replacing('Binary/a'))).toThrow(/DocumentReference\/<id>/);
  });

  it('supersedes the replaced document in the same commit as the new one', async () => {
    // create.ts hands its write to withReplacement
    const result = await create(ctx, 'DocumentReference', body(replacing('DocumentReference/old')));
    expect(result.created).toBe(true);
    expect(await statusOf('old')).toBe('superseded');
    expect((await t.store.read('DocumentReference', 'old'))!.versionId).toBe(2);
  });

  it('writes nothing when a replaced document is not current, missing or of another holder', async () => {
    await create(ctx, 'DocumentReference', body(replacing('DocumentReference/old')));
    const count = await t.store.count('DocumentReference', {});
    const again = replacing('DocumentReference/old');
    expect(await error(create(ctx, 'DocumentReference', body(again)))).toBe('422 DOCUMENT_NOT_CURRENT');
    expect(await error(create(ctx, 'DocumentReference', body(replacing('DocumentReference/none'))))).toBe('422 REPLACED_NOT_FOUND');
    expect(await error(create(ctx, 'DocumentReference', body(replacing('DocumentReference/bob-doc'))))).toBe('422 REPLACED_NOT_FOUND');
    expect(await t.store.count('DocumentReference', {})).toBe(count);
    expect(await statusOf('bob-doc')).toBe('current');
  });

  it("inside a caller's unit of work, stages the supersede there and commits nothing itself", async () => {
    const unit = createUnitOfWork();
    await create({ ...ctx, unitOfWork: unit }, 'DocumentReference', body(replacing('DocumentReference/old')));
    expect(unit.writes.map((w) => `${w.row.id === 'old' ? 'old' : 'new'}:${(w.row.resource as DocumentReference).status}`)).toEqual(['new:current', 'old:superseded']);
    expect(await statusOf('old')).toBe('current');
  });

  it('takes the ordinary single write when nothing is replaced', async () => {
    const { relatesTo: _r, ...plain } = replacing();
    let unitOfWork: unknown = 'not called';
    await withReplacement(ctx, plain, async (unit) => {
      unitOfWork = unit.unitOfWork;
      return { row: (await t.store.read('DocumentReference', 'old'))!, created: false };
    });
    expect(unitOfWork).toBeUndefined();
  });
});

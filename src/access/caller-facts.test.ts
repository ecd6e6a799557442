import type { AuditEvent } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and } from '../search/narrowed.js';
import type { StoredRow } from '../store/store.js';
import { RPPS_SYSTEM } from './codes.js';
import type { Operation } from './interceptor.js';
import { createAccessPipeline, type AccessDecision, type FactsMemo } from './pipeline.js';
import { holdersOfRow } from './read-access.js';
import { CALLERS, NOW, RPPS, openAccessTestStore, type AccessTestStore, type CallerName } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/**
 * Caller facts read for the holders a decision applies to (`Operation.within`) decide every row
 * of those holders exactly as the facts read for every holder naming the caller: same verdict,
 * same rule, same emergency access, same rows visible. Checked for every caller of the scenarios
 * on every row of the store, plus a trace naming two holders of whom one blocked the caller.
 */

const TYPES = ['Patient', 'Consent', 'DocumentReference', 'Binary', 'RelatedPerson', 'Immunization', 'AllergyIntolerance', 'AuditEvent'];

/** A trace about alice (who blocked RPPS.blocked) and bob, requested by the blocked professional. */
const twoHolders: AuditEvent = {
  resourceType: 'AuditEvent',
  id: 'audit-two-holders',
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
  recorded: '2025-03-01T10:00:00Z',
  agent: [{ requestor: true, who: { identifier: { system: RPPS_SYSTEM, value: RPPS.blocked } } }],
  source: { observer: { display: 'dmp-fhir-server' } },
  entity: [{ what: { reference: 'Patient/bob' } }, { what: { reference: 'Patient/alice' } }],
};

let fixture: AccessTestStore;
let rows: StoredRow[];
const pipeline = createAccessPipeline({ clock: () => NOW });

beforeAll(async () => {
  fixture = await openAccessTestStore([...scenario(), { resource: twoHolders }]);
  rows = (await Promise.all(TYPES.map((type) => fixture.store.find(type, { filter: {} })))).flat();
});
afterAll(() => fixture.close());

async function outcome(decision: AccessDecision, row: StoredRow) {
  const { verdict } = decision;
  if (verdict.kind === 'reject') return { status: verdict.outcome.status, rule: verdict.outcome.rule };
  const visible = (await fixture.store.count(row.type, and({ id: row.id }, decision.narrow(row.type)))) > 0;
  return { visible, rule: decision.rule, accessMode: decision.accessMode, emergency: [...decision.emergencyHolders].sort() };
}

describe('caller facts read for the holders decided on', () => {
  it('reads the same as facts read for every holder naming the caller, for every caller on every row', async () => {
    expect(rows.length).toBeGreaterThan(40);
    let visibleSomewhere = 0;
    for (const name of Object.keys(CALLERS) as CallerName[]) {
      const caller = CALLERS[name];
      for (const row of rows) {
        const holders = holdersOfRow(row);
        const op: Operation = { interaction: 'read', type: row.type, holders };
        const everyHolder = await outcome(await pipeline.decide(fixture.store, caller, op), row);
        const bounded = await outcome(await pipeline.decide(fixture.store, caller, { ...op, within: holders }), row);
        expect({ caller: name, row: `${row.type}/${row.id}`, ...bounded }).toEqual({ caller: name, row: `${row.type}/${row.id}`, ...everyHolder });
        if ('visible' in bounded && bounded.visible) visibleSomewhere++;
      }
    }
    // the comparison is not between two empty answers
    expect(visibleSomewhere).toBeGreaterThan(100);
  });

  it('hides a trace naming a holder who blocked the caller, whichever holder the request names', async () => {
    const row = rows.find((r) => r.id === 'audit-two-holders')!;
    const decision = await pipeline.authorizeRead(fixture.store, CALLERS.blocked, row);
    expect(decision.verdict).toMatchObject({ kind: 'reject', outcome: { status: 404, rule: 'R3.4' } });
  });

  it('reads the facts once per request and holders, however many decisions use them', async () => {
    let finds = 0;
    const store = new Proxy(fixture.store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key === 'find' && typeof value === 'function') {
          return (...args: unknown[]) => {
            finds++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const memo: FactsMemo = new Map();
    const op: Operation = { interaction: 'read', type: 'DocumentReference', holders: ['Patient/alice'], within: ['Patient/alice'] };
    await pipeline.decide(store, CALLERS.nurse, op, memo);
    const once = finds;
    expect(once).toBeGreaterThan(0);
    await pipeline.decide(store, CALLERS.nurse, { ...op, interaction: 'create' }, memo);
    expect(finds).toBe(once);
    await pipeline.decide(store, CALLERS.nurse, op); // a decision outside the request reads again
    expect(finds).toBe(2 * once);
  });
});

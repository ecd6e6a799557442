import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessContext } from '../access/access-context.js';
import { RPPS_SYSTEM } from '../access/codes.js';
import { buildRow } from '../interactions/write-row.js';
import { openSearchTestStore, type SearchTestStore } from '../search/test-store.js';
import { buildAuditEvent } from './audit-event.js';
import { newRowWrite } from './audit-row.js';
import { BASE, CALLERS, NOW, RPPS } from './test-fixture.js';

/**
 * The patient's access history is ordinary AuditEvent search (`patient`, `agent`, `date`,
 * `_sort=-date`): these prove the trace's shape gives those parameters their values through the
 * search engine's own indexer, and the access facts R10.1 narrows on.
 */

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function event(id: string, caller: AccessContext, recorded: Date, entities = [{ type: 'DocumentReference', id: 'd1', versionId: 1 }]) {
  return buildAuditEvent({
    id,
    interaction: 'read',
    recorded,
    outcome: '0',
    caller,
    client: { address: '192.0.2.10', clientId: 'lgc-cabinet' },
    accessMode: 'normal',
    baseUrl: BASE,
    patients: ['Patient/alice'],
    entities,
  });
}

describe('indexing a trace for AuditEvent search', () => {
  it('gives patient, agent and date values to the row buildRow makes', () => {
    const idx = buildRow(event('e1', CALLERS.gp, NOW), 'e1', 1, NOW).idx;
    expect(idx.patient).toEqual(['Patient/alice']);
    expect(idx.agent).toEqual(['Practitioner/gp']);
    expect(idx['agent:identifier']).toContain(`${RPPS_SYSTEM}|${RPPS.gp}`);
    expect(idx.entity).toEqual(['Patient/alice', 'DocumentReference/d1']);
    expect(idx.date).toEqual([{ lo: NOW.toISOString(), hi: NOW.toISOString() }]);
  });

  it('indexes the holder acting on their own record both as agent and as patient', () => {
    const idx = buildRow(event('e2', CALLERS.alice, NOW), 'e2', 1, NOW).idx;
    expect(idx.agent).toEqual(['Patient/alice']);
    expect(idx.patient).toEqual(['Patient/alice']);
  });

  it('stores the access facts R10.1 reads: the holder and the requesting RPPS', () => {
    const { row } = newRowWrite(event('e3', CALLERS.nurse, NOW), 'e3', NOW);
    expect(row.sec).toEqual({ patient: ['Patient/alice'], actorRpps: [RPPS.nurse] });
  });
});

describe("the holder's access history through the search engine", () => {
  let search: SearchTestStore;
  beforeAll(async () => {
    search = await openSearchTestStore([
      { resource: event('gp-read', CALLERS.gp, at(1)) },
      { resource: event('nurse-read', CALLERS.nurse, at(5)) },
      { resource: event('own-read', CALLERS.alice, at(3)) },
      { resource: { ...event('other-holder', CALLERS.gp, at(2)), entity: [] } },
    ]);
  });
  afterAll(() => search.close());

  it('finds every trace about the holder, newest first', async () => {
    expect(await search.search('AuditEvent', 'patient=Patient/alice&_sort=-date')).toEqual(['nurse-read', 'own-read', 'gp-read']);
  });

  it('finds the traces of one professional by RPPS', async () => {
    expect(await search.search('AuditEvent', `agent:identifier=${RPPS_SYSTEM}|${RPPS.gp}&patient=Patient/alice`)).toEqual(['gp-read']);
  });

  it('finds the holder’s own actions by agent reference', async () => {
    expect(await search.search('AuditEvent', 'agent=Patient/alice')).toEqual(['own-read']);
  });

  it('narrows by date', async () => {
    expect(await search.search('AuditEvent', `patient=Patient/alice&date=ge${at(3).toISOString()}&_sort=date`)).toEqual([
      'own-read',
      'nurse-read',
    ]);
  });

  it('finds who accessed one document', async () => {
    expect(await search.search('AuditEvent', 'entity=DocumentReference/d1&_sort=date')).toEqual(['gp-read', 'own-read', 'nurse-read']);
  });
});

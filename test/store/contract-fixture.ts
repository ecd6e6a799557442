import type { IndexPlan, RowWrite, StoredRow, Store } from '../../src/store/store.js';

/**
 * The fixed rows the store contract table runs on. Six live Observations with varied index values
 * (token forms, references, date ranges, numbers, mixed kinds, empty and missing fields), one
 * tombstone that would match many filters if tombstones leaked, and a Patient sharing an id and
 * index values with an Observation, to show types never mix.
 */

export const CONTRACT_PLAN: IndexPlan = {
  Observation: ['idx.code', 'idx.patient', 'idx.value', 'sec.patient', 'sec.labels'],
  Patient: ['idx.code', 'idx.patient'],
};

const day = (d: string) => ({ lo: `${d}T00:00:00.000Z`, hi: `${d}T23:59:59.999Z` });

export function row(type: string, id: string, versionId: number, lastUpdated: string, idx: Record<string, unknown[]>, sec: Record<string, unknown> = {}): StoredRow {
  return {
    type,
    id,
    versionId,
    lastUpdated,
    deleted: false,
    resource: { resourceType: type, id, meta: { versionId: String(versionId), lastUpdated } } as StoredRow['resource'],
    idx,
    sec,
  };
}

export function tombstone(of: StoredRow, lastUpdated: string): StoredRow {
  const { resource: _gone, ...rest } = of;
  return { ...rest, versionId: of.versionId + 1, lastUpdated, deleted: true };
}

const OBSERVATIONS: StoredRow[] = [
  row('Observation', 'o1', 1, '2024-01-01T10:00:00.000Z', {
    code: ['http://loinc.org|11488-4', '|11488-4', '11488-4'],
    patient: ['Patient/p1'],
    date: [day('2020-01-01')],
    value: [5],
    status: ['final'],
    name: ['emile'],
    mixed: [9],
  }, { patient: 'Patient/p1', family: 'report', labels: ['N'] }),
  row('Observation', 'o2', 1, '2024-01-02T10:00:00.000Z', {
    code: ['http://loinc.org|1234-5', '|1234-5', '1234-5'],
    patient: ['Patient/p2'],
    date: [{ lo: '2021-03-01T00:00:00.000Z', hi: '2021-03-31T23:59:59.999Z' }, day('2019-06-01')],
    value: [10, 2],
    status: ['final'],
    name: ['Zoe'],
    mixed: ['10'],
  }, { patient: 'Patient/p2', family: 'lab', labels: ['R', 'N'] }),
  row('Observation', 'o3', 1, '2024-01-03T10:00:00.000Z', {
    code: ['|11488-4', '11488-4'],
    patient: ['Patient/p1'],
    date: [{ lo: '2022-12-31T23:00:00.000Z', hi: '2023-01-01T00:59:59.999Z' }],
    value: [7.5],
    status: ['amended'],
    name: ['\uFF5E'],
  }, { patient: 'Patient/p1', family: 'lab' }),
  row('Observation', 'o4', 1, '2024-01-04T10:00:00.000Z', {
    code: ['11488-4'],
    status: ['preliminary'],
    name: ['\u{1F600}'],
  }, { patient: 'Patient/p3', family: 'report', labels: [] }),
  row('Observation', 'o5', 1, '2024-01-04T10:00:00.000Z', {
    code: ['http://snomed.info/sct|271649006', '271649006'],
    patient: ['Patient/p1', 'Group/g1'],
    date: [day('2020-06-15')],
    value: [],
    name: ['émile'],
  }, { patient: 'Patient/p1', family: 'report', labels: ['V'] }),
  row('Observation', 'o6', 1, '2024-01-05T10:00:00.000Z', {
    code: ['http://loinc.org|2345-7', '2345-7'],
    patient: ['Patient/p2'],
    value: [3, 12],
    status: ['final'],
    name: ['Emile'],
    mixed: ['abc'],
  }, { patient: 'Patient/p2', family: 'lab', labels: ['N'] }),
];

const DELETED = row('Observation', 'o7', 1, '2024-01-06T10:00:00.000Z', {
  code: ['http://loinc.org|11488-4', '|11488-4', '11488-4'],
  patient: ['Patient/p1'],
  value: [100],
  status: ['final'],
}, { patient: 'Patient/p1', family: 'report', labels: ['N'] });

const SAME_ID_OTHER_TYPE = row('Patient', 'o1', 1, '2024-01-01T10:00:00.000Z', { code: ['11488-4'], patient: ['Patient/p1'] });

export const LIVE_IDS = OBSERVATIONS.map((r) => r.id);

export async function seedContractRows(store: Store): Promise<void> {
  const creates: RowWrite[] = [...OBSERVATIONS, DELETED, SAME_ID_OTHER_TYPE].map((r) => ({ row: r, expectedVersion: 0 }));
  await store.commit(creates);
  // the tombstone keeps its index values, so only the engine's own exclusion can hide it
  await store.commit([{ row: { ...tombstone(DELETED, '2024-01-07T10:00:00.000Z'), idx: DELETED.idx }, expectedVersion: 1 }]);
}

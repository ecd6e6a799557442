import type { Bundle } from 'fhir/r4';
import { errorCode } from '../helpers/fhir.js';
import { BINARIES, DOCS, docsOf, type DocName, type World } from './scenario.js';
import { isRefusal, type Refusal, type RoleCase } from './table.js';

/**
 * The interactions of the visibility table. Each one gives, for a row, the exact expectation
 * (names of the scenario, sorted) and how to observe it through the HTTP API as the row's caller.
 * Outcomes other than 200 are written `<status> <issue[0].details.coding[0].code>`.
 */

export type Observation = unknown;

export interface Interaction {
  name: string;
  /** Rules every case of this interaction proves besides the row's (R5.5: no leak through this path). */
  rules: string[];
  describe(row: RoleCase): string;
  applies(row: RoleCase): boolean;
  expected(row: RoleCase): Observation;
  observe(world: World, row: RoleCase): Promise<Observation>;
}

type Response = { status: number; body: unknown };

const outcome = (res: Response): string => (res.status === 200 ? '200' : `${res.status} ${errorCode(res.body as never) ?? '?'}`);
const refusal = (r: Refusal): string => `${r.status} ${r.code}`;
const sorted = (names: readonly string[]) => [...names].sort();
const NOT_FOUND = '404 RESOURCE_NOT_FOUND';

/** A searchset as `{ ids, included, total }` in scenario names (unknown ids show as `?<id>`). */
function bundleView(world: World, res: Response): Observation {
  if (res.status !== 200) return outcome(res);
  const bundle = res.body as Bundle;
  const names = (mode: string) => sorted((bundle.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => world.name(e.resource!.id!)));
  return { ids: names('match'), included: names('include'), total: bundle.total };
}

const view = (ids: readonly string[], included: readonly string[] = []) => ({ ids: sorted(ids), included: sorted(included), total: ids.length });
const searchExpectation = (value: readonly string[] | Refusal) => (isRefusal(value) ? refusal(value) : view(value));
const list = (names: readonly string[]) => (names.length ? names.join(', ') : 'nothing');
const says = (value: readonly string[] | Refusal) => (isRefusal(value) ? refusal(value) : list(value));
const patientSays = (row: RoleCase) => (isRefusal(row.patient) ? refusal(row.patient) : row.patient ? row.holder : 'nothing');

async function get(world: World, row: RoleCase, url: string): Promise<Response> {
  return (await world.agent(row.caller)).get(url);
}

/** Every document of the holder, or (`sampled`) those hidden from the caller and one it sees. */
function documentsFor(row: RoleCase, sampled: boolean): DocName[] {
  const docs = docsOf(row.holder);
  if (!sampled) return docs;
  if (isRefusal(row.sees)) return docs.slice(0, 2);
  const sees = row.sees;
  return [...docs.filter((d) => sees.includes(d)).slice(0, 1), ...docs.filter((d) => !sees.includes(d))];
}

/** One request per document of the holder: `{ doc: outcome }`. */
function perDocument(name: string, path: (world: World, doc: DocName) => string, rules: string[], sampled = false): Interaction {
  const which = sampled ? 'every document hidden from them and one they see' : 'each document';
  return {
    name,
    rules,
    describe: (row) => {
      const docs = documentsFor(row, sampled);
      if (isRefusal(row.sees)) return `${name} of ${sampled ? 'two' : 'each'} of ${row.holder}'s documents: ${refusal(row.sees)}`;
      const sees = row.sees;
      return `${name} of ${row.holder}'s ${which}: 200 for ${list(docs.filter((d) => sees.includes(d)))}; 404 for ${list(docs.filter((d) => !sees.includes(d)))}`;
    },
    applies: (row) => docsOf(row.holder).length > 0,
    expected: (row) =>
      Object.fromEntries(documentsFor(row, sampled).map((d) => [d, isRefusal(row.sees) ? refusal(row.sees) : row.sees.includes(d) ? '200' : NOT_FOUND])),
    async observe(world, row) {
      const docs = documentsFor(row, sampled);
      const outcomes = await Promise.all(docs.map(async (doc) => outcome(await get(world, row, path(world, doc)))));
      return Object.fromEntries(docs.map((doc, i) => [doc, outcomes[i]]));
    },
  };
}

const holderSearch = (name: string, path: (world: World, row: RoleCase) => string, rules: string[]): Interaction => ({
  name,
  rules,
  describe: (row) => `${name.replace('<holder>', row.holder)} finds ${says(row.sees)}`,
  applies: () => true,
  expected: (row) => searchExpectation(row.sees),
  observe: async (world, row) => bundleView(world, await get(world, row, path(world, row))),
});

/** Only alice's documents carry these types: `_has` may find her, never anyone else. */
function hasType(label: string, type: string): Interaction {
  const holders = (docs: readonly DocName[]) => sorted([...new Set(docs.filter((d) => DOCS[d].options.type[1] === type).map((d) => DOCS[d].holder))]);
  const expected = (row: RoleCase) => {
    if (isRefusal(row.patient) && row.patient.code === 'ROLE_NOT_ALLOWED') return refusal(row.patient);
    return view(isRefusal(row.everywhere) ? [] : holders(row.everywhere));
  };
  return {
    name: `_has ${label}`,
    rules: ['R5.5'],
    describe: (row) => {
      const e = expected(row);
      return `Patient?_has:DocumentReference:subject:type=${type} (${label}) finds ${typeof e === 'string' ? e : list(e.ids)}`;
    },
    applies: () => true,
    expected,
    observe: async (world, row) => bundleView(world, await get(world, row, `/fhir/Patient?_has:DocumentReference:subject:type=http://loinc.org|${type}&_count=100`)),
  };
}

/**
 * `$everything` (D14) reads the Patient first (404 when hidden, 403 for a role that never reads
 * patients; reception and insurer agents read it by id but match nothing), leaves out the types the role never reads, fails on any other refusal (a closed DMP),
 * and includes the Binaries of the documents it returns that the caller may read (D15).
 */
function everything(row: RoleCase): Observation {
  if (isRefusal(row.patient)) return refusal(row.patient);
  if (!(row.patientRead ?? row.patient)) return NOT_FOUND;
  if (isRefusal(row.sees) && row.sees.code !== 'ROLE_NOT_ALLOWED') return refusal(row.sees);
  const docs = isRefusal(row.sees) ? [] : row.sees;
  // the Patient itself is matched by a compartment search, narrowed as `Patient?_id=` is
  return view([...(row.patient === true ? [row.holder] : []), ...docs], Object.keys(BINARIES).filter((bin) => docs.includes(BINARIES[bin]!)));
}

export const INTERACTIONS: Interaction[] = [
  perDocument('read', (w, d) => `/fhir/DocumentReference/${w.id(d)}`, []),
  perDocument('vread', (w, d) => `/fhir/DocumentReference/${w.id(d)}/_history/1`, ['D23'], true),
  perDocument('instance history', (w, d) => `/fhir/DocumentReference/${w.id(d)}/_history`, ['D23'], true),
  {
    name: 'Binary read',
    rules: ['D15'],
    describe: (row) => `Binary read by id of ${row.holder}'s document contents: ${isRefusal(row.sees) ? refusal(row.sees) : `200 exactly for the contents of ${list(row.sees)}`}`,
    applies: (row) => Object.values(BINARIES).some((d) => DOCS[d].holder === row.holder),
    expected: (row) =>
      Object.fromEntries(
        Object.entries(BINARIES)
          .filter(([, d]) => DOCS[d].holder === row.holder)
          .map(([bin, d]) => [bin, isRefusal(row.sees) ? refusal(row.sees) : row.sees.includes(d) ? '200' : NOT_FOUND]),
      ),
    async observe(world, row) {
      const out: Record<string, string> = {};
      for (const [bin, d] of Object.entries(BINARIES)) {
        if (DOCS[d].holder === row.holder) out[bin] = outcome(await get(world, row, `/fhir/Binary/${world.id(bin)}`));
      }
      return out;
    },
  },
  holderSearch('DocumentReference?patient=<holder>', (w, r) => `/fhir/DocumentReference?patient=${w.id(r.holder)}&_count=100`, []),
  {
    name: '_summary=count',
    rules: ['R5.5'],
    describe: (row) => `DocumentReference?patient=${row.holder}&_summary=count totals ${isRefusal(row.sees) ? refusal(row.sees) : row.sees.length}`,
    applies: () => true,
    expected: (row) => (isRefusal(row.sees) ? refusal(row.sees) : { total: row.sees.length }),
    async observe(world, row) {
      const res = await get(world, row, `/fhir/DocumentReference?patient=${world.id(row.holder)}&_summary=count`);
      return res.status === 200 ? { total: (res.body as Bundle).total } : outcome(res);
    },
  },
  {
    name: '_include',
    rules: ['R5.5'],
    describe: (row) => `DocumentReference?patient=${row.holder}&_include=DocumentReference:subject finds ${says(row.sees)}`,
    applies: () => true,
    expected: (row) => (isRefusal(row.sees) ? refusal(row.sees) : view(row.sees, row.sees.length > 0 && row.patient === true ? [row.holder] : [])),
    observe: async (world, row) =>
      bundleView(world, await get(world, row, `/fhir/DocumentReference?patient=${world.id(row.holder)}&_include=DocumentReference:subject&_count=100`)),
  },
  {
    name: '_revinclude',
    rules: ['R5.5'],
    describe: (row) => `Patient?_id=${row.holder}&_revinclude=DocumentReference:subject finds ${patientSays(row)}${row.patient === true ? ` and includes ${isRefusal(row.sees) ? 'nothing' : list(row.sees)}` : ''}`,
    applies: () => true,
    expected: (row) =>
      isRefusal(row.patient)
        ? refusal(row.patient)
        : view(row.patient ? [row.holder] : [], row.patient && !isRefusal(row.sees) ? row.sees : []),
    observe: async (world, row) =>
      bundleView(world, await get(world, row, `/fhir/Patient?_id=${world.id(row.holder)}&_revinclude=DocumentReference:subject`)),
  },
  {
    name: 'chained search',
    rules: ['R5.5'],
    describe: (row) => {
      const e = isRefusal(row.everywhere) ? refusal(row.everywhere) : list(row.everywhere.filter((d) => DOCS[d].holder === row.holder));
      return `DocumentReference?subject:Patient.identifier=<${row.holder}'s INS> (naming no holder id) finds ${e}`;
    },
    applies: (row) => docsOf(row.holder).length > 0,
    expected: (row) => searchExpectation(isRefusal(row.everywhere) ? row.everywhere : row.everywhere.filter((d) => DOCS[d].holder === row.holder)),
    observe: async (world, row) =>
      bundleView(
        world,
        await get(world, row, `/fhir/DocumentReference?subject:Patient.identifier=${encodeURIComponent(`urn:oid:1.2.250.1.213.1.4.10|${world.ins(row.holder)}`)}&_count=100`),
      ),
  },
  hasType('of the masked report type', '11490-0'),
  hasType('of the psychiatric synthesis type', '68599-0'),
  holderSearch('compartment Patient/<holder>/DocumentReference', (w, r) => `/fhir/Patient/${w.id(r.holder)}/DocumentReference?_count=100`, ['R5.5']),
  {
    name: '$everything',
    rules: ['R5.5', 'D14'],
    describe: (row) => {
      const e = everything(row);
      const said = typeof e === 'string' ? e : `finds ${list((e as { ids: string[] }).ids)}, includes ${list((e as { included: string[] }).included)}`;
      return `Patient/${row.holder}/$everything?_type=Patient,DocumentReference,Binary ${said}`;
    },
    applies: () => true,
    expected: (row) => everything(row),
    observe: async (world, row) =>
      bundleView(world, await get(world, row, `/fhir/Patient/${world.id(row.holder)}/$everything?_type=Patient,DocumentReference,Binary&_count=100`)),
  },
  {
    name: 'search naming no holder',
    rules: ['R5.5'],
    describe: (row) => `DocumentReference?_count=100 (no holder named) finds ${says(row.everywhere)}`,
    applies: () => true,
    expected: (row) => searchExpectation(row.everywhere),
    observe: async (world, row) => bundleView(world, await get(world, row, '/fhir/DocumentReference?_count=100')),
  },
  {
    name: 'AllergyIntolerance and Immunization',
    rules: ['R4.2', 'R5.1'],
    describe: (row) => `AllergyIntolerance and Immunization ?patient=${row.holder} find ${says(row.others ?? [])}`,
    applies: (row) => row.others !== undefined,
    expected: (row) => searchExpectation(row.others!),
    async observe(world, row) {
      const views = [];
      for (const type of ['AllergyIntolerance', 'Immunization']) views.push(bundleView(world, await get(world, row, `/fhir/${type}?patient=${world.id(row.holder)}`)));
      const failed = views.find((v) => typeof v === 'string');
      if (failed) return failed;
      const ids = views.flatMap((v) => (v as { ids: string[] }).ids);
      return view(ids);
    },
  },
];

export interface TableCase {
  title: string;
  rules: string[];
  row: RoleCase;
  interaction: Interaction;
}

/** One case per (row, interaction) that applies, titled with its rules first (CONVENTIONS rule 10). */
export function tableCases(rows: readonly RoleCase[]): TableCase[] {
  return rows.flatMap((row) =>
    INTERACTIONS.filter((i) => i.applies(row)).map((interaction) => {
      const rules = [...new Set([...row.rules, ...interaction.rules])];
      return { title: `${rules.join(' ')} ${row.who}: ${interaction.describe(row)}`, rules, row, interaction };
    }),
  );
}


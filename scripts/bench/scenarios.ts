import { mintDevToken, type TokenOptions } from '../../src/access/dev-token.js';
import type { Config } from '../../src/config.js';
import type { Manifest } from './generate.js';
import { fill, provideBundleTemplate, RESOURCES_PER_BUNDLE } from './iti65-bundle.js';
import type { ManifestEntry } from './patient-record.js';
import type { Professional } from './pool.js';

/**
 * The scenarios of issue 8, each a rotation of requests over the manifest's holders: the next
 * request a load-generator connection sends is `next()`. Tokens are minted once per caller
 * (development mode, the server's own DATA_DIR key) and reused, as an EHR reuses its token.
 */

export const SCENARIOS = ['ceiling', 'read', 'search', 'audit-trail', 'iti65'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  /** Issue 8's target for it, as text. */
  target: string;
  /** Resources written per request (ITI-65: the bundle's entries). */
  resourcesPerRequest?: number;
  /** Distinct requests it rotates over. */
  rotation: number;
  next(): OutgoingRequest;
}

const ACCEPT = 'application/fhir+json';

export interface ScenarioInputs {
  config: Config;
  manifest: Manifest;
  /** Documents per holder the read rotation takes from the manifest. */
  readsPerHolder?: number;
  iti65BinaryBytes: number;
}

function rotate<T>(items: readonly T[], build: (item: T, n: number) => OutgoingRequest): () => OutgoingRequest {
  if (items.length === 0) throw new Error('nothing to rotate over: the manifest has no usable holder');
  let n = 0;
  return () => {
    const i = n++;
    return build(items[i % items.length]!, i);
  };
}

const professionalOf = (entry: ManifestEntry): Professional => ({
  index: 0,
  id: entry.ps.id,
  rpps: entry.ps.rpps,
  profession: entry.ps.profession,
  ...(entry.ps.specialty ? { specialty: entry.ps.specialty } : {}),
  ...(entry.ps.organization ? { organization: entry.ps.organization } : {}),
  family: 'Praticien',
  given: 'Bench',
  female: false,
});

export class Tokens {
  private cache = new Map<string, Promise<string>>();
  constructor(private readonly config: Config) {}

  get(options: TokenOptions): Promise<string> {
    const key = JSON.stringify(options);
    let token = this.cache.get(key);
    if (!token) {
      token = mintDevToken(this.config, { ...options, expiresIn: '12h' });
      this.cache.set(key, token);
    }
    return token;
  }

  professional(entry: ManifestEntry): Promise<string> {
    const { rpps, profession, specialty, organization, id } = entry.ps;
    return this.get({ role: 'professional', rpps, profession, fhirUser: `Practitioner/${id}`, ...(specialty ? { specialty } : {}), ...(organization ? { organization } : {}) });
  }

  holder(entry: ManifestEntry): Promise<string> {
    return this.get({ role: 'patient', fhirUser: `Patient/${entry.patient}` });
  }
}

export async function buildScenarios(inputs: ScenarioInputs): Promise<Record<ScenarioName, Scenario>> {
  const { manifest } = inputs;
  const tokens = new Tokens(inputs.config);
  const entries = manifest.entries;
  const perHolder = inputs.readsPerHolder ?? 10;
  const reads: Array<{ token: string; id: string }> = [];
  const searches: Array<{ token: string; patient: string }> = [];
  const trails: Array<{ token: string; patient: string }> = [];
  const deposits: Array<{ token: string; template: string }> = [];
  for (const entry of entries) {
    const ps = `Bearer ${await tokens.professional(entry)}`;
    for (const id of entry.readable.slice(0, perHolder)) reads.push({ token: ps, id });
    // the holders whose default search fills a page of 20, when there are enough of them
    searches.push({ token: ps, patient: entry.patient });
    trails.push({ token: `Bearer ${await tokens.holder(entry)}`, patient: entry.patient });
    if (deposits.length < 200) deposits.push({ token: ps, template: provideBundleTemplate(professionalOf(entry), entry.patient, inputs.iti65BinaryBytes, manifest.seed) });
  }
  const fullPages = entries.filter((e) => e.searchable >= 20).map((e) => e.patient);
  const searchRotation = fullPages.length >= 20 ? searches.filter((s) => fullPages.includes(s.patient)) : searches;
  // interleave holders so that consecutive reads do not hit the same DMP
  const interleaved = [...reads].sort((a, b) => hash(a.id) - hash(b.id));
  const get = (path: string, token?: string): OutgoingRequest => ({ method: 'GET', path, headers: { accept: ACCEPT, ...(token ? { authorization: token } : {}) } });
  return {
    ceiling: {
      name: 'ceiling',
      title: 'bare Fastify route, same JSON as read (ceiling)',
      target: '—',
      rotation: interleaved.length,
      next: rotate(interleaved, (r) => get(`/bench/ceiling/${r.id}`)),
    },
    read: {
      name: 'read',
      title: 'read DocumentReference/[id] as an authorised PS',
      target: '≥ 35% of ceiling',
      rotation: interleaved.length,
      next: rotate(interleaved, (r) => get(`/fhir/DocumentReference/${r.id}`, r.token)),
    },
    search: {
      name: 'search',
      title: 'DocumentReference?patient=…&_sort=-date (PS, 20 results)',
      target: '≥ 20% of ceiling; p99 < 25 ms at 1M',
      rotation: searchRotation.length,
      next: rotate(searchRotation, (s) => get(`/fhir/DocumentReference?patient=${s.patient}&_sort=-date`, s.token)),
    },
    'audit-trail': {
      name: 'audit-trail',
      title: 'AuditEvent?patient=…&_sort=-date (the holder)',
      target: '—',
      rotation: trails.length,
      next: rotate(trails, (t) => get(`/fhir/AuditEvent?patient=${t.patient}&_sort=-date`, t.token)),
    },
    iti65: {
      name: 'iti65',
      title: 'ITI-65 provide-document bundle (List + DocumentReference + Binary)',
      target: '≥ 3,000 resources/s',
      resourcesPerRequest: RESOURCES_PER_BUNDLE,
      rotation: deposits.length,
      next: rotate(deposits, (d, n) => ({
        method: 'POST',
        path: '/fhir',
        headers: { accept: ACCEPT, 'content-type': 'application/fhir+json', authorization: d.token, prefer: 'return=minimal' },
        body: fill(d.template, n),
      })),
    },
  };
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

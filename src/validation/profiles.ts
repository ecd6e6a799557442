import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationOutcomeIssue, StructureDefinition } from 'fhir/r4';
import { compile } from 'fhirpath';
import { validationIssue } from './issue.js';
import { isJsonObject } from './location.js';
import { r4model } from './r4-model.js';

/**
 * The StructureDefinitions we author (`profiles/StructureDefinition-*.json`) and their FHIRPath
 * constraints, enforced on a resource whose `meta.profile` names one: on every write (422, the
 * constraint key and the FHIRPath location of the failing element) and in `$validate`.
 *
 * What a profile enforces is its differential's `constraint` entries, evaluated by `fhirpath` on
 * each instance of the element they sit on; every `min` and binding of a differential is backed by
 * a constraint (profiles.test.ts checks it), so the declared and the enforced rules agree.
 *
 * A `meta.profile` this server does not know is a claim it cannot check: FHIR lets a server accept
 * such a resource (it is still valid R4), and the HL7 validator reports it as a warning, so a write
 * ignores it and `$validate` says it was not checked. Refusing it would make every client that tags
 * a national or IG profile (FR Core, PDSm) fail for no fault in its data.
 */

export interface ProfileConstraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression: string;
  /** The element path it applies to: `Patient`, `Patient.identifier`, … */
  path: string;
  evaluate: (node: unknown, env: Record<string, unknown>) => unknown[];
}

export interface Profile {
  url: string;
  name: string;
  /** The resource type it constrains. */
  type: string;
  constraints: ProfileConstraint[];
}

const QUIET = { traceFn: () => {} };
const BASE_PROFILE = 'http://hl7.org/fhir/StructureDefinition/';

function profilesDir(): string {
  for (const up of ['../../profiles', '../../../profiles']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('profiles/ not found next to the server');
}

/** Reads one authored StructureDefinition; a broken one stops the server at start-up, not at the first write. */
export function loadProfile(sd: StructureDefinition): Profile {
  if (sd.resourceType !== 'StructureDefinition' || !sd.url || !sd.type || sd.derivation !== 'constraint') {
    throw new Error(`profile ${sd.url ?? sd.id}: a StructureDefinition with url, type and derivation=constraint is expected`);
  }
  const constraints: ProfileConstraint[] = [];
  for (const element of sd.differential?.element ?? []) {
    if (element.path !== sd.type && !element.path.startsWith(`${sd.type}.`)) {
      throw new Error(`profile ${sd.url}: element ${element.path} is not on ${sd.type}`);
    }
    if (element.path.includes('[x]')) throw new Error(`profile ${sd.url}: choice elements (${element.path}) are not supported`);
    for (const c of element.constraint ?? []) {
      if (!c.expression) throw new Error(`profile ${sd.url}: constraint ${c.key} has no expression`);
      const evaluate = compile({ base: element.path, expression: c.expression }, r4model, QUIET) as ProfileConstraint['evaluate'];
      constraints.push({ key: c.key, severity: c.severity, human: c.human, expression: c.expression, path: element.path, evaluate });
    }
  }
  return { url: sd.url, name: sd.name, type: sd.type, constraints };
}

let loaded: ReadonlyMap<string, Profile> | undefined;

/** Our profiles by canonical URL, read from `profiles/` once. */
export function knownProfiles(): ReadonlyMap<string, Profile> {
  if (loaded) return loaded;
  const dir = profilesDir();
  const map = new Map<string, Profile>();
  for (const name of readdirSync(dir).filter((n) => /^StructureDefinition-.+\.json$/.test(n)).sort()) {
    const profile = loadProfile(JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as StructureDefinition);
    map.set(profile.url, profile);
  }
  loaded = map;
  return loaded;
}

/** Every instance of an element path in a resource, with its FHIRPath location (`Patient.identifier[1]`). */
function instances(resource: Record<string, unknown>, elementPath: string): Array<{ node: unknown; location: string }> {
  const [root, ...steps] = elementPath.split('.');
  let current: Array<{ node: unknown; location: string }> = [{ node: resource, location: root! }];
  for (const step of steps) {
    const next: Array<{ node: unknown; location: string }> = [];
    for (const { node, location } of current) {
      if (!isJsonObject(node) || node[step] === undefined) continue;
      const value = node[step];
      if (Array.isArray(value)) value.forEach((item, i) => next.push({ node: item, location: `${location}.${step}[${i}]` }));
      else next.push({ node: value, location: `${location}.${step}` });
    }
    current = next;
  }
  return current;
}

function constraintIssues(profile: Profile, resource: Record<string, unknown>): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const env = { resource, rootResource: resource };
  for (const c of profile.constraints) {
    for (const { node, location } of instances(resource, c.path)) {
      let result: unknown[];
      try {
        result = c.evaluate(node, env);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        issues.push(validationIssue('informational', 'INVARIANT', `${c.key} (${profile.url}) could not be evaluated: ${reason}`, { expression: location, severity: 'warning' }));
        continue;
      }
      // As for the R4 invariants: only an explicit false violates.
      if (result.length === 1 && result[0] === false) {
        issues.push(validationIssue('invariant', 'INVARIANT', `${c.key}: ${c.human} (profile ${profile.url})`, { expression: location, severity: c.severity }));
      }
    }
  }
  return issues;
}

/** `url|version` → `url`: we publish one version of each profile. */
const canonical = (value: string) => value.split('|')[0]!;

export interface ProfileCheckOptions {
  /** `$validate` reports the profiles it could not check; a write ignores them silently. */
  reportUnknown: boolean;
  /** Profiles asked for besides `meta.profile` (`$validate`'s `profile` parameter). */
  extra?: readonly string[];
}

/**
 * Issues of `resource` against the profiles it claims in `meta.profile` (and `extra`): errors for
 * violated constraints and for a profile of another type, warnings for profiles we do not know.
 * Run on a resource that already passed base R4 validation.
 */
export function profileIssues(resource: unknown, options: ProfileCheckOptions): OperationOutcomeIssue[] {
  if (!isJsonObject(resource) || typeof resource.resourceType !== 'string') return [];
  const type = resource.resourceType;
  const meta = isJsonObject(resource.meta) ? resource.meta : undefined;
  const claimed = Array.isArray(meta?.profile) ? meta.profile.filter((p): p is string => typeof p === 'string') : [];
  const urls = [...new Set([...claimed, ...(options.extra ?? [])].map(canonical))];
  const issues: OperationOutcomeIssue[] = [];
  for (const url of urls) {
    if (url === `${BASE_PROFILE}${type}`) continue; // base R4: already checked
    const profile = knownProfiles().get(url);
    if (!profile) {
      if (options.reportUnknown) {
        issues.push(validationIssue('not-supported', 'INVARIANT', `profile ${url} is not known to this server; the resource was not checked against it`, { expression: `${type}.meta.profile`, severity: 'warning' }));
      }
      continue;
    }
    if (profile.type !== type) {
      issues.push(validationIssue('invalid', 'TYPE_MISMATCH', `profile ${url} constrains ${profile.type}, not ${type}`, { expression: `${type}.meta.profile` }));
      continue;
    }
    issues.push(...constraintIssues(profile, resource));
  }
  return issues;
}

/** The canonical URLs of our profiles of one type (the CapabilityStatement's `supportedProfile`). */
export function profilesOf(type: string): string[] {
  return [...knownProfiles().values()].filter((p) => p.type === type).map((p) => p.url);
}

import { readProfile } from './profiles-file.js';

/**
 * Normal forms shared by the index (write time) and the compiler (query time): whatever one side
 * stores, the other side must compute identically, so both call these functions.
 */

interface OidFile {
  systems: Array<{ oid: string; url: string }>;
  identifierAliases: Array<{ system: string; prefix: string; sameAs: string; valuePattern: string }>;
}

const oids = readProfile<OidFile>('code-system-oids.json');
const CANONICAL = new Map<string, string>(oids.systems.map((s) => [`urn:oid:${s.oid}`, s.url]));
const ALIASES = oids.identifierAliases.map((a) => ({ ...a, pattern: new RegExp(a.valuePattern) }));

/** DMP-RULES §11: an `urn:oid:` system and its canonical URL are one system; we keep the URL. */
export function canonicalSystem(system: string): string {
  return CANONICAL.get(system) ?? system;
}

/**
 * The other spellings of one identifier (IdNat_PS `8` + RPPS is the RPPS), so a search by either
 * finds both. Returned as `system|value` pairs, the given one excluded.
 */
export function identifierAliases(system: string, value: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const a of ALIASES) {
    if (system === a.system && value.startsWith(a.prefix) && a.pattern.test(value.slice(a.prefix.length))) {
      out.push([a.sameAs, value.slice(a.prefix.length)]);
    } else if (system === a.sameAs && a.pattern.test(value)) {
      out.push([a.system, a.prefix + value]);
    }
  }
  return out;
}

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };

/**
 * Case- and accent-insensitive form of a text ("Hélène  Cœur" → "helene coeur"): lower case,
 * decomposed and stripped of combining marks, French ligatures spelt out, typographic apostrophes
 * made plain, whitespace collapsed.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œæßøłđ]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** A literal for a `$regex`: user text never becomes a pattern (no injection, no catastrophic backtracking). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;
const ABSOLUTE_TAIL = /^(.*)\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * The form a reference is indexed under. Relative references become `Type/id` (a version suffix is
 * dropped: a search by `Patient/1` finds `Patient/1/_history/2`). Absolute URLs are kept as written
 * minus any version suffix, because the index must not depend on the server's configured base: the
 * compiler looks references on our base up in both forms instead. Contained (`#x`) references are
 * not searchable; anything else (conditional, `urn:uuid:`) is kept verbatim so `:missing` sees it.
 */
export function indexedReference(reference: string): string | undefined {
  if (reference.startsWith('#') || reference === '') return undefined;
  const rel = RELATIVE.exec(reference);
  if (rel) return `${rel[1]}/${rel[2]}`;
  const abs = ABSOLUTE_TAIL.exec(reference);
  if (abs && /^https?:\/\//.test(reference)) return `${abs[1]}/${abs[2]}/${abs[3]}`;
  return reference;
}

/** `Type/id` when a reference (relative, or absolute on `baseUrl`) names a local resource. */
export function localReference(reference: string, baseUrl?: string): { type: string; id: string } | undefined {
  let text = reference;
  if (baseUrl && text.startsWith(baseUrl + '/')) text = text.slice(baseUrl.length + 1);
  const rel = RELATIVE.exec(text);
  return rel ? { type: rel[1]!, id: rel[2]! } : undefined;
}

/** The indexed forms a local `Type/id` may take: relative, and absolute on our base when known. */
export function referenceForms(type: string, id: string, baseUrl?: string): string[] {
  return baseUrl ? [`${type}/${id}`, `${baseUrl}/${type}/${id}`] : [`${type}/${id}`];
}

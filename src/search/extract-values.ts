import type { Address, CodeableConcept, Coding, ContactPoint, HumanName, Identifier, Period, Quantity, Reference, Timing } from 'fhir/r4';
import type { DateRange } from '../store/store.js';
import { MAX_INSTANT, MIN_INSTANT, parseDateRange } from './date-range.js';
import type { TypedValue } from './expression.js';
import { canonicalSystem, foldText, identifierAliases, indexedReference } from './normalise.js';
import { parseNumberRange } from './number-range.js';

/**
 * From FHIRPath results to index values, one function per search parameter type. Each adds to a
 * collector under `idx` keys: the parameter's code, and for modifiers their own key (`code:text`,
 * `identifier:of-type`, `subject:identifier`, `name:exact`).
 */

/** Index key → (dedup key → value). */
export type Collector = Map<string, Map<string, unknown>>;

export function add(out: Collector, key: string, value: unknown, dedup = String(value)): void {
  let values = out.get(key);
  if (!values) out.set(key, (values = new Map()));
  values.set(dedup, value);
}

const fhir = (t: string) => t.replace(/^(FHIR|System)\./, '');

/** `system|code`, `code`, `system|`, and `|code` only when there is no system (FHIR token semantics). */
export function tokenKeys(system: string | undefined, code: string | undefined): string[] {
  if (!system) return code ? [code, `|${code}`] : [];
  const s = canonicalSystem(system);
  return code ? [`${s}|${code}`, code, `${s}|`] : [`${s}|`];
}

function addCoding(out: Collector, code: string, c: Coding): void {
  for (const k of tokenKeys(c.system, c.code)) add(out, code, k);
  if (c.display) add(out, `${code}:text`, foldText(c.display));
}

function addIdentifier(out: Collector, key: string, id: Identifier, ofType?: string): void {
  for (const k of tokenKeys(id.system, id.value)) add(out, key, k);
  if (id.system && id.value) for (const [s, v] of identifierAliases(id.system, id.value)) for (const k of tokenKeys(s, v)) add(out, key, k);
  if (ofType && id.value) {
    for (const c of id.type?.coding ?? []) if (c.code) add(out, ofType, `${c.system ? canonicalSystem(c.system) : ''}|${c.code}|${id.value}`);
  }
}

export function token(out: Collector, code: string, { type, value }: TypedValue): void {
  switch (fhir(type)) {
    case 'Coding':
      return addCoding(out, code, value as Coding);
    case 'CodeableConcept': {
      const cc = value as CodeableConcept;
      for (const c of cc.coding ?? []) addCoding(out, code, c);
      if (cc.text) add(out, `${code}:text`, foldText(cc.text));
      return;
    }
    case 'Identifier': {
      const id = value as Identifier;
      addIdentifier(out, code, id, `${code}:of-type`);
      if (id.type?.text) add(out, `${code}:text`, foldText(id.type.text));
      return;
    }
    case 'ContactPoint': {
      const cp = value as ContactPoint;
      if (cp.value) for (const k of [cp.value, `|${cp.value}`, ...(cp.system ? [`${cp.system}|${cp.value}`] : [])]) add(out, code, k);
      return;
    }
    case 'boolean':
    case 'Boolean':
      for (const k of tokenKeys(undefined, String(value))) add(out, code, k);
      return;
    default:
      if (typeof value === 'string' && value) for (const k of tokenKeys(undefined, value)) add(out, code, k);
  }
}

function addText(out: Collector, code: string, text: string | undefined): void {
  if (!text) return;
  add(out, code, foldText(text));
  add(out, `${code}:exact`, text);
}

/**
 * HumanName and Address match on each part and on the whole ("helene dupont"); a name sorts by
 * family then given names.
 */
export function string(out: Collector, code: string, { type, value }: TypedValue): void {
  switch (fhir(type)) {
    case 'HumanName': {
      const n = value as HumanName;
      const parts = [...(n.prefix ?? []), ...(n.given ?? []), n.family, ...(n.suffix ?? []), n.text];
      for (const p of parts) addText(out, code, p);
      addText(out, code, [...(n.given ?? []), n.family].filter(Boolean).join(' '));
      add(out, `${code}:sort`, foldText([n.family, ...(n.given ?? []), n.text].filter(Boolean).join(' ')));
      return;
    }
    case 'Address': {
      const a = value as Address;
      const parts = [...(a.line ?? []), a.city, a.district, a.state, a.postalCode, a.country];
      for (const p of [...parts, a.text]) addText(out, code, p);
      addText(out, code, parts.filter(Boolean).join(' '));
      add(out, `${code}:sort`, foldText(parts.filter(Boolean).join(' ') || a.text || ''));
      return;
    }
    default:
      if (typeof value !== 'string') return;
      addText(out, code, value);
      add(out, `${code}:sort`, foldText(value));
  }
}

export function reference(out: Collector, code: string, { type, value }: TypedValue): void {
  const t = fhir(type);
  if (t === 'Reference') {
    const r = value as Reference;
    const ref = r.reference ? indexedReference(r.reference) : undefined;
    if (ref) add(out, code, ref);
    if (r.identifier) addIdentifier(out, `${code}:identifier`, r.identifier);
  } else if (typeof value === 'string' && value) {
    add(out, code, value); // canonical or uri: as written, and without its `|version`
    if (t === 'canonical' && value.includes('|')) add(out, code, value.slice(0, value.indexOf('|')));
  }
}

function addRange(out: Collector, code: string, range: DateRange | undefined): void {
  if (range) add(out, code, range, `${range.lo}/${range.hi}`);
}

function periodRange(p: Period): DateRange | undefined {
  const lo = p.start ? parseDateRange(p.start)?.lo : MIN_INSTANT;
  const hi = p.end ? parseDateRange(p.end)?.hi : MAX_INSTANT;
  return lo && hi && (p.start || p.end) ? { lo, hi } : undefined;
}

/** Periods with an open end reach the far past or future; a Timing counts by its events and bounds. */
export function date(out: Collector, code: string, { type, value }: TypedValue): void {
  switch (fhir(type)) {
    case 'date':
    case 'dateTime':
    case 'instant':
    case 'Date':
    case 'DateTime':
      return addRange(out, code, parseDateRange(String(value)));
    case 'Period':
      return addRange(out, code, periodRange(value as Period));
    case 'Timing': {
      const t = value as Timing;
      for (const e of t.event ?? []) addRange(out, code, parseDateRange(e));
      if (t.repeat?.boundsPeriod) addRange(out, code, periodRange(t.repeat.boundsPeriod));
      return;
    }
  }
}

export function number(out: Collector, code: string, { value }: TypedValue): void {
  if (typeof value !== 'number') return;
  const r = parseNumberRange(String(value));
  if (r) add(out, code, r, `${r.v}`);
}

export function quantity(out: Collector, code: string, { value }: TypedValue): void {
  const q = value as Quantity;
  if (typeof q?.value !== 'number') return;
  const r = parseNumberRange(String(q.value));
  if (!r) return;
  const entry = { ...r, ...(q.system ? { system: canonicalSystem(q.system) } : {}), ...(q.code ? { code: q.code } : {}), ...(q.unit ? { unit: q.unit } : {}) };
  add(out, code, entry, JSON.stringify(entry));
}

export function uri(out: Collector, code: string, { value }: TypedValue): void {
  if (typeof value === 'string' && value) add(out, code, value);
}

import type { CodeableConcept, Coding, Identifier, Reference } from 'fhir/r4';
import { canonicalSystem } from '../search/normalise.js';
import { FINESS_SYSTEM, IDNAT_PS_SYSTEM, IDNAT_STRUCT_SYSTEM, RPPS_SYSTEM } from './codes.js';

/**
 * Small readers of FHIR values shared by the fact extractors: references reduced to `Type/id`,
 * RPPS and FINESS numbers whatever identifier system spells them, codings of any shape.
 */

const TAIL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * `Type/id` of a relative or absolute reference (`Patient/1`, `https://host/fhir/Patient/1/_history/2`).
 * Contained (`#x`), `urn:uuid:` (rewritten by transactions before storage, D11) and conditional
 * references name nothing. The base of an absolute URL is not checked: validation keeps references
 * local, and a fact never needs the server's base to be computed (a reindex must give the same facts).
 */
export function referenceTarget(reference: string | undefined): { type: string; id: string } | undefined {
  if (!reference || reference.startsWith('#') || reference.includes('?')) return undefined;
  const match = TAIL.exec(reference);
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}

/** `Type/id` when the reference points at a resource of `type`. */
export function referenceTo(type: string, reference: Reference | string | undefined): string | undefined {
  const text = typeof reference === 'string' ? reference : reference?.reference;
  const target = referenceTarget(text);
  return target?.type === type ? `${type}/${target.id}` : undefined;
}

/** The id part when the reference points at a resource of `type`. */
export function idOf(type: string, reference: Reference | string | undefined): string | undefined {
  return referenceTo(type, reference)?.slice(type.length + 1);
}

/** The 11-digit RPPS an identifier names, as RPPS or as IdNat_PS (`8` + RPPS). */
export function rppsOf(identifier: Identifier | undefined): string | undefined {
  if (!identifier?.system || !identifier.value) return undefined;
  const system = canonicalSystem(identifier.system);
  if (system === RPPS_SYSTEM) return identifier.value;
  if (system === IDNAT_PS_SYSTEM && identifier.value.startsWith('8') && identifier.value.length > 1) return identifier.value.slice(1);
  return undefined;
}

/** The FINESS number an identifier names, as FINESS or as IdNat_Struct (`1` + FINESS). */
export function finessOf(identifier: Identifier | undefined): string | undefined {
  if (!identifier?.system || !identifier.value) return undefined;
  const system = canonicalSystem(identifier.system);
  if (system === FINESS_SYSTEM) return identifier.value;
  if (system === IDNAT_STRUCT_SYSTEM && identifier.value.startsWith('1') && identifier.value.length === 10) return identifier.value.slice(1);
  return undefined;
}

/** Every coding of one or several CodeableConcepts (or bare Codings). */
export function codingsOf(value: CodeableConcept | Coding | Array<CodeableConcept | Coding> | undefined): Coding[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((item) => ('coding' in item || 'text' in item ? ((item as CodeableConcept).coding ?? []) : [item as Coding]));
}

export function isCode(coding: Coding, system: string, code: string): boolean {
  return coding.code === code && coding.system !== undefined && canonicalSystem(coding.system) === system;
}

export function hasCode(codings: Coding[], system: string, code: string): boolean {
  return codings.some((c) => isCode(c, system, code));
}

/** Codes of the codings in `system`. */
export function codesIn(codings: Coding[], system: string): string[] {
  return codings.filter((c) => c.code && c.system && canonicalSystem(c.system) === system).map((c) => c.code!);
}

/** A list without repeats, or undefined when empty (absent facts stay absent in the stored row). */
export function distinct<T>(values: Iterable<T | undefined>): T[] | undefined {
  const out = [...new Set([...values].filter((v): v is T => v !== undefined))];
  return out.length ? out : undefined;
}

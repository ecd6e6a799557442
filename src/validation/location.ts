/** A step of a path inside a JSON value: a property name or an array index. */
export type PathSegment = string | number;

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The FHIRPath-like location of a node (`Patient.name[0].given[1]`), which is what
 * `OperationOutcome.issue.expression` carries. Names that are not identifiers (unknown keys such as
 * `a.b`) are quoted with backticks as FHIRPath does, so the location stays unambiguous.
 */
export function expressionOf(root: string, segments: readonly PathSegment[]): string {
  let out = root;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += PLAIN_NAME.test(s) ? `.${s}` : `.\`${s.replace(/[`\\]/g, '\\$&')}\``;
  }
  return out;
}

/** The name a location starts with: the resource's own type when it has a sensible one. */
export function rootName(value: unknown, fallback = 'Resource'): string {
  const type = isJsonObject(value) ? value.resourceType : undefined;
  return typeof type === 'string' && /^[A-Z][A-Za-z0-9]{0,63}$/.test(type) ? type : fallback;
}

/**
 * Splits a JSON pointer (`/name/0/given`, as ajv reports) into segments, using the data to tell
 * array indices from property names that happen to be digits.
 */
export function segmentsOfPointer(data: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(part);
      out.push(index);
      node = node[index];
    } else {
      out.push(part);
      node = isJsonObject(node) && Object.hasOwn(node, part) ? node[part] : undefined;
    }
  }
  return out;
}

/** The JSON pointer of a path, the key under which raw facts about a node are remembered. */
export function pointerOf(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) out += '/' + (typeof s === 'number' ? String(s) : s.replace(/~/g, '~0').replace(/\//g, '~1'));
  return out;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * SMART on FHIR resource scopes (v1 and v2) read as an upper bound on what a role already allows
 * (D3). Only resource scopes matter here; `openid`, `fhirUser`, `launch/patient`, `offline_access`
 * and any other scope grant no resource access and are left out.
 */

export type ScopeInteraction = 'read' | 'search' | 'create' | 'update' | 'delete';

export interface SmartScope {
  /** `patient`, `user` or `system`. The patient compartment of `patient/` scopes is enforced by the
   *  role rules (a patient token reaches only its holder), not here. */
  context: 'patient' | 'user' | 'system';
  /** A resource type, or `*` for all. */
  resourceType: string;
  interactions: ScopeInteraction[];
  version: 1 | 2;
  /** v2 `?param=value` restriction, kept as written; a restricted scope grants nothing (see below). */
  restriction?: string;
  /** The scope as it appeared in the token. */
  text: string;
}

const ALL: ScopeInteraction[] = ['read', 'search', 'create', 'update', 'delete'];

const V1: Record<string, ScopeInteraction[]> = {
  read: ['read', 'search'],
  write: ['create', 'update', 'delete'],
  '*': ALL,
};

const V2_LETTERS: Array<[letter: string, interaction: ScopeInteraction]> = [
  ['c', 'create'],
  ['r', 'read'],
  ['u', 'update'],
  ['d', 'delete'],
  ['s', 'search'],
];

const SHAPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.([a-z*]+)(?:\?(.*))?$/;

/** v2 permissions must be a non-empty subsequence of `cruds`, in that order (SMART App Launch 2.0). */
function v2Interactions(permissions: string): ScopeInteraction[] | undefined {
  const found: ScopeInteraction[] = [];
  let from = 0;
  for (const char of permissions) {
    const at = V2_LETTERS.findIndex(([letter], index) => index >= from && letter === char);
    if (at < 0) return undefined;
    found.push(V2_LETTERS[at]![1]);
    from = at + 1;
  }
  return found.length ? found : undefined;
}

/** One scope, or `undefined` when it is not a well-formed resource scope (it then grants nothing). */
export function parseScope(text: string): SmartScope | undefined {
  const match = SHAPE.exec(text);
  if (!match) return undefined;
  const [, context, resourceType, permissions, restriction] = match as unknown as [string, SmartScope['context'], string, string, string?];
  const v1 = V1[permissions];
  if (v1) {
    // v1 had no restrictions: `patient/Observation.read?x=y` is malformed.
    return restriction === undefined ? { context, resourceType, interactions: [...v1], version: 1, text } : undefined;
  }
  const interactions = v2Interactions(permissions);
  if (!interactions) return undefined;
  return { context, resourceType, interactions, version: 2, ...(restriction !== undefined ? { restriction } : {}), text };
}

/** The resource scopes of a space-separated `scope` claim, in order; other scopes are dropped. */
export function parseScopes(claim: string): SmartScope[] {
  return claim
    .split(/\s+/)
    .filter(Boolean)
    .map(parseScope)
    .filter((scope): scope is SmartScope => scope !== undefined);
}

/**
 * Whether the scopes let the caller do `interaction` on `type`. `undefined` scopes (no `scope` claim)
 * set no bound (D3). A v2 scope with a `?param=value` restriction grants nothing: honouring it would
 * need the restriction compiled into the query, and ignoring it would widen what the client was
 * granted, so a client must ask for an unrestricted scope as well.
 */
export function scopeAllows(scopes: readonly SmartScope[] | undefined, type: string, interaction: ScopeInteraction): boolean {
  if (scopes === undefined) return true;
  return scopes.some(
    (scope) =>
      scope.restriction === undefined &&
      (scope.resourceType === '*' || scope.resourceType === type) &&
      scope.interactions.includes(interaction),
  );
}

import { forbidden } from '../fhir/errors.js';
import { scopeAllows, type ScopeInteraction } from './smart-scopes.js';
import { MATCH_NOTHING } from './sec-filters.js';
import { PROCEED, reject, type AccessInteraction, type AccessInterceptor } from './interceptor.js';

/**
 * D3: a token's SMART scopes only narrow what its role allows. An interaction the scopes do not
 * grant on the type is 403; a type the scopes grant neither read nor search on is absent from
 * includes, chains and `_has`. No `scope` claim, no bound.
 */

const SCOPE_OF: Record<AccessInteraction, ScopeInteraction> = {
  read: 'read',
  vread: 'read',
  history: 'read',
  operation: 'read',
  search: 'search',
  create: 'create',
  update: 'update',
  patch: 'update',
  delete: 'delete',
};

export const scopeBound: AccessInterceptor = {
  name: 'D3',
  start(ctx, op) {
    if (scopeAllows(ctx.caller.scopes, op.type, SCOPE_OF[op.interaction])) return PROCEED;
    return reject(forbidden('SCOPE_NOT_GRANTED', `the token's scopes do not grant ${SCOPE_OF[op.interaction]} on ${op.type}`, 'D3'));
  },
  narrow(ctx, type) {
    const { scopes } = ctx.caller;
    return scopeAllows(scopes, type, 'read') || scopeAllows(scopes, type, 'search') ? undefined : MATCH_NOTHING;
  },
};

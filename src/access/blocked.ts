import type { AccessInterceptor } from './interceptor.js';
import { isDirectory, isProfessionalRole } from './kinds.js';
import { holderNotIn } from './sec-filters.js';

/**
 * R3.4: a professional the holder blocked sees nothing of the holder, break-glass included, and
 * this wins over every other rule: their Patient, Consents, documents and the traces about them
 * are all left out (404 on read, absent from searches, not a 403 that would tell them so).
 */
export const blockedProfessionals: AccessInterceptor = {
  name: 'R3.4',
  narrow(ctx, type) {
    if (!isProfessionalRole(ctx.caller.role) || isDirectory(type) || ctx.facts.blocked.length === 0) return undefined;
    return holderNotIn(ctx.facts.blocked);
  },
};

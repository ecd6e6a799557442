import type { AccessInterceptor } from './interceptor.js';
import { MATCH_NOTHING } from './sec-filters.js';

/**
 * D15: a Binary is readable exactly when a DocumentReference that names or points to it is, and a
 * standalone one by its creator only. Neither can be decided on the Binary row alone, so Binaries
 * are read by id only (read-access.ts resolves their documents) and never listed by a search.
 */
export const binaryByDocument: AccessInterceptor = {
  name: 'D15',
  narrow: (_ctx, type) => (type === 'Binary' ? MATCH_NOTHING : undefined),
};

/**
 * The order a transaction processes its entries in (https://hl7.org/fhir/R4/http.html#trules):
 * deletes, then creates, then updates and patches, then reads and searches, each group in Bundle
 * order. References between entries do not depend on it: every id is known before the first write.
 */
const RANK: Readonly<Record<string, number>> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

export function processingOrder<E extends { index: number; request: { method?: string } }>(entries: readonly E[]): E[] {
  const rank = (e: E) => RANK[e.request.method ?? ''] ?? 4;
  return [...entries].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
}

import { isMinorOn, parisDay, withinPeriod } from '../access/calendar.js';
import { REP_RELATIONSHIPS } from '../access/codes.js';
import type { SecFacts } from '../access/facts.js';
import type { Store } from '../store/store.js';

/**
 * Who besides the holder receives a notification: while the holder is a minor, the legal
 * representatives whose representation holds today (R2.3, R7.5, D34): RelatedPersons of the holder
 * with a parent or guardian relationship, active, within their period. Read from the stored facts
 * (`sec.patient`, `sec.relationships`, `sec.birthDate`), never cached (D30).
 */
export async function representatives(store: Store, holder: string, now: Date): Promise<string[]> {
  if (!holder.startsWith('Patient/')) return [];
  const patient = await store.read('Patient', holder.slice('Patient/'.length));
  if (!patient || patient.deleted) return [];
  if (!isMinorOn((patient.sec as SecFacts).birthDate, parisDay(now))) return [];
  const people = await store.find('RelatedPerson', {
    filter: { 'sec.patient': holder, 'sec.relationships': { $in: [...REP_RELATIONSHIPS] } },
    limit: 20,
  });
  return people
    .filter((row) => {
      const facts = row.sec as SecFacts;
      return !facts.inactive && withinPeriod(facts.periodStart, facts.periodEnd, now);
    })
    .map((row) => `RelatedPerson/${row.id}`);
}

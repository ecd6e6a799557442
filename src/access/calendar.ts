/**
 * Dates the access rules reason about: ages and representation periods on the Europe/Paris
 * calendar day (D34, R7.5), and the one-month release of R5.3. Everything takes "now" as an
 * argument: the clock is injected (Services.clock), never read here.
 */

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Paris at `now`, as `YYYY-MM-DD`. */
export function parisDay(now: Date): string {
  return PARIS_DAY.format(now);
}

const DATE_ONLY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Whether someone born on `birthDate` is under 18 on the Paris day `today`. A partial birth date
 * counts from its earliest possible day, so a rep's rights never outlast the holder's minority;
 * someone born on 29 February comes of age on 1 March of a common year. No birth date: not a minor.
 */
export function isMinorOn(birthDate: string | undefined, today: string): boolean {
  const match = birthDate ? DATE_ONLY.exec(birthDate.slice(0, 10)) : null;
  if (!match) return false;
  const [, year, month = '01', day = '01'] = match;
  return today < `${String(Number(year) + 18).padStart(4, '0')}-${month}-${day}`;
}

function bound(value: string, side: 'start' | 'end', now: Date, today: string): boolean {
  const date = DATE_ONLY.exec(value);
  if (date) {
    const [, year, month, day] = date;
    // a date names whole Paris days: the period starts at the first and ends after the last
    const text = `${year}-${month ?? (side === 'start' ? '01' : '12')}-${day ?? (side === 'start' ? '01' : '31')}`;
    return side === 'start' ? today >= text : today <= text;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return false;
  return side === 'start' ? now.getTime() >= ms : now.getTime() <= ms;
}

/** Whether `now` falls within a FHIR Period given as written (either end may be open). */
export function withinPeriod(start: string | undefined, end: string | undefined, now: Date): boolean {
  const today = parisDay(now);
  return (start === undefined || bound(start, 'start', now, today)) && (end === undefined || bound(end, 'end', now, today));
}

/**
 * The latest deposit instant already released by R5.3 at `now`: one calendar month earlier (UTC),
 * the day clamped to the shorter month (31 March → 28 or 29 February).
 */
export function oneMonthBefore(now: Date): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = new Date(now.getTime());
  shifted.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  return shifted.toISOString();
}

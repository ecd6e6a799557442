import type { Consent } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import type { AccessContext } from '../access/access-context.js';
import { NO_CALLER_FACTS, type CallerFacts } from '../access/caller-facts.js';
import { CALLERS, NOW, dmpCreation } from '../access/test-fixture.js';
import type { WriteContext } from '../access/write-checks.js';
import type { StoredRow } from '../store/store.js';
import { CLOSURE_REASON_EXTENSION, closureDate, closureReasons, closureRule } from './closure-rule.js';

const HOLDER = 'Patient/alice';

function closing(reason?: string, end: string | undefined = '2025-03-14'): Consent {
  return {
    ...dmpCreation('alice-dmp', 'alice', 'inactive'),
    ...(reason ? { extension: [{ url: CLOSURE_REASON_EXTENSION, valueCode: reason }] } : {}),
    ...(end ? { provision: { period: { end } } } : {}),
  };
}

/** The write context of an update of Alice's open dmp-creation Consent, as write-access.ts builds it. */
function update(caller: AccessContext, resource: Consent, facts: Partial<CallerFacts> = {}, before = 'active'): WriteContext {
  return {
    store: undefined as never,
    caller,
    facts: { ...NO_CALLER_FACTS, open: before === 'active' ? [HOLDER] : [], closed: before === 'active' ? [] : [HOLDER], ...facts },
    decision: undefined as never,
    interaction: 'update',
    type: 'Consent',
    resource,
    current: { id: 'alice-dmp' } as StoredRow,
    previous: { status: before, category: 'dmp-creation', patient: HOLDER },
    next: { status: resource.status, category: 'dmp-creation', patient: HOLDER },
    holder: HOLDER,
    rules: undefined as never,
    now: NOW,
  };
}

const verdict = (ctx: WriteContext) => {
  const v = closureRule(ctx);
  return v.kind === 'reject' ? `${v.outcome.status} ${v.outcome.code} ${v.outcome.rule}` : v.kind;
};

describe('R9.1 the closure of a DMP', () => {
  it('reads the reason and date a closure states', () => {
    expect(closureReasons(closing('death'))).toEqual(['death']);
    expect(closureDate(closing('death'))).toBe('2025-03-14');
    expect(closureReasons(undefined)).toEqual([]);
  });

  it('lets the holder, and anyone who may open a DMP, close it at the holder’s request', () => {
    for (const caller of [CALLERS.alice, CALLERS.reception, CALLERS.insurerAgent, CALLERS.stranger]) {
      expect(verdict(update(caller, closing('holder-request')))).toBe('proceed');
    }
  });

  it('lets a professional with access close it on the holder’s death, and nobody else', () => {
    expect(verdict(update(CALLERS.gp, closing('death'), { gp: [HOLDER] }))).toBe('proceed');
    expect(verdict(update(CALLERS.nurse, closing('death'), { authorisedPs: [HOLDER] }))).toBe('proceed');
    expect(verdict(update(CALLERS.stranger, closing('death')))).toBe('403 DEATH_CLOSURE_BY_PROFESSIONAL R9.1');
    expect(verdict(update(CALLERS.blocked, closing('death'), { gp: [HOLDER], blocked: [HOLDER] }))).toBe('403 DEATH_CLOSURE_BY_PROFESSIONAL R9.1');
    expect(verdict(update(CALLERS.alice, closing('death')))).toBe('403 DEATH_CLOSURE_BY_PROFESSIONAL R9.1');
    expect(verdict(update(CALLERS.reception, closing('death')))).toBe('403 DEATH_CLOSURE_BY_PROFESSIONAL R9.1');
  });

  it('needs exactly one known reason and a closure date that is not in the future', () => {
    expect(verdict(update(CALLERS.alice, closing(undefined)))).toBe('422 CLOSURE_REASON_REQUIRED R9.1');
    expect(verdict(update(CALLERS.alice, closing('moved')))).toBe('422 CLOSURE_REASON_REQUIRED R9.1');
    const twice = { ...closing('holder-request'), extension: [...closing('holder-request').extension!, ...closing('holder-request').extension!] };
    expect(verdict(update(CALLERS.alice, twice))).toBe('422 CLOSURE_REASON_REQUIRED R9.1');
    expect(verdict(update(CALLERS.alice, closing('holder-request', '')))).toBe('422 CLOSURE_DATE_REQUIRED R9.1');
    expect(verdict(update(CALLERS.alice, closing('holder-request', '2025-03-16')))).toBe('422 CLOSURE_DATE_IN_FUTURE R9.1');
    // today in Paris is 15 March at NOW (10:00 UTC)
    expect(verdict(update(CALLERS.alice, closing('holder-request', '2025-03-15T09:00:00Z')))).toBe('proceed');
  });

  it('refuses another way out of "active", and reactivating a closed consent', () => {
    const rejected: Consent = { ...dmpCreation('alice-dmp', 'alice', 'active'), status: 'rejected' };
    expect(verdict(update(CALLERS.alice, rejected))).toBe('422 CLOSE_AS_INACTIVE R9.1');
    expect(verdict(update(CALLERS.alice, dmpCreation('alice-dmp', 'alice', 'active'), {}, 'inactive'))).toBe('422 REOPEN_WITH_NEW_CONSENT R9.2');
  });

  it('leaves opening, and changes of an open DMP’s consent, to the other rules', () => {
    const opening = update(CALLERS.reception, dmpCreation('alice-dmp-2', 'alice', 'active'));
    expect(verdict({ ...opening, current: undefined, previous: undefined })).toBe('proceed');
    expect(verdict(update(CALLERS.alice, dmpCreation('alice-dmp', 'alice', 'active')))).toBe('proceed');
    expect(verdict({ ...update(CALLERS.alice, closing('holder-request')), interaction: 'delete' })).toBe('proceed');
  });
});

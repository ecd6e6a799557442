import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/** R6.1–R6.4: emergency access is flagged for the audit (access mode) and the holder's notification. */

describe('R6 break-glass and regulator access', () => {
  let fixture: AccessTestStore;
  const pipeline = createAccessPipeline({ clock: () => NOW });

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  const decide = (caller: keyof typeof CALLERS, holders: string[]) =>
    pipeline.decide(fixture.store, CALLERS[caller], { interaction: 'search', type: 'DocumentReference', holders });

  it('R6.4 flags break-glass with the holders reached, for audit and notification', async () => {
    const decision = await decide('strangerBreakGlass', ['Patient/alice']);
    expect(decision).toMatchObject({ breakGlass: true, regulator: false, accessMode: 'bris_de_glace', emergencyHolders: ['Patient/alice'], rule: 'R6.1' });
  });

  it('R6.2 flags regulator access as centre_15', async () => {
    const decision = await decide('regulator', ['Patient/alice']);
    expect(decision).toMatchObject({ breakGlass: false, regulator: true, accessMode: 'centre_15', emergencyHolders: ['Patient/alice'], rule: 'R6.2' });
  });

  it('R6.1 a professional already authorised is not flagged when asking for break-glass', async () => {
    const decision = await decide('authorBreakGlass', ['Patient/bob']);
    expect(decision).toMatchObject({ breakGlass: false, accessMode: 'normal', emergencyHolders: [] });
  });

  it('R3.4 a blocked professional gets no emergency access and no flag', async () => {
    const decision = await decide('blockedBreakGlass', ['Patient/alice']);
    expect(decision).toMatchObject({ verdict: { kind: 'proceed' }, breakGlass: false, emergencyHolders: [] });
  });

  it('R3.5 an opposed holder refuses break-glass with 403 naming the rule, and nothing is flagged', async () => {
    const decision = await decide('strangerBreakGlass', ['Patient/bob']);
    expect(decision.verdict.kind).toBe('reject');
    if (decision.verdict.kind !== 'reject') return;
    expect(decision.verdict.outcome.status).toBe(403);
    expect(decision.verdict.outcome.code).toBe('EMERGENCY_ACCESS_OPPOSED');
    expect(decision).toMatchObject({ rule: 'R3.5', breakGlass: false, emergencyHolders: [] });
  });

  it('R6.1 break-glass does not reach a closed DMP (409)', async () => {
    const decision = await decide('strangerBreakGlass', ['Patient/carol']);
    expect(decision.verdict.kind === 'reject' && decision.verdict.outcome.status).toBe(409);
  });

  it('R3.6 a change of authorisation applies from the next request', async () => {
    const before = await decide('stranger', ['Patient/alice']);
    expect(await fixture.store.count('DocumentReference', before.narrow('DocumentReference')!)).toBe(0);
    const { accessChoices, RPPS, HOSPITAL } = await import('./test-fixture.js');
    await fixture.put([
      {
        resource: accessChoices('choices-alice', 'alice', {
          permit: [RPPS.nurse, RPPS.podiatrist, RPPS.physio, RPPS.pharmacist, RPPS.author, RPPS.blocked, RPPS.occupational, RPPS.psychiatricNurse, RPPS.stranger],
          structures: [HOSPITAL],
          gp: [RPPS.gp],
          blocked: [RPPS.blocked],
        }),
      },
    ]);
    const after = await decide('stranger', ['Patient/alice']);
    expect(await fixture.store.count('DocumentReference', after.narrow('DocumentReference')!)).toBe(12);
  });
});

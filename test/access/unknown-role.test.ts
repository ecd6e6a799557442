import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../helpers/app.js';
import { outcome } from './helpers.js';
import * as fhir from './resources.js';
import { buildWorld, postAs, putAs, type Agent, type World } from './scenario.js';

/**
 * R1.3, decided on the token alone: a caller whose role is none of R1.1's (a complementary
 * insurer, an employer, a bank…) gets 403 on every interaction, whatever the holder consented to,
 * and even if the token also carries professional claims. This refusal happens in the token
 * verifier, before the access pipeline: it is the one check `accessControl: false` leaves on, so
 * interceptors-off.test.ts does not count it.
 */

const UNKNOWN_ROLES = ['complementary-insurer', 'employer', 'bank'];

describe.each(STORE_KINDS)('R1.3 a role outside R1.1 (%s store)', (kind) => {
  let w: World;
  const agents = new Map<string, Agent>();
  beforeAll(async () => {
    w = await buildWorld(kind, { small: true });
    for (const role of UNKNOWN_ROLES) agents.set(role, await w.t.as({ role, sub: `${role}-1` }));
    // a holder's consent cannot help: alice authorises the employer's physician number
    agents.set('employer-with-rpps', await w.t.as({ role: 'employer', sub: 'occupational-service', rpps: '10000000002', profession: '10', specialty: 'SM26' }));
  });
  afterAll(async () => {
    await w?.close();
  });

  const reads = (world: World): Array<[string, string]> => [
    ['read', `/fhir/DocumentReference/${world.id('a-report')}`],
    ['vread', `/fhir/DocumentReference/${world.id('a-report')}/_history/1`],
    ['instance history', `/fhir/DocumentReference/${world.id('a-report')}/_history`],
    ['search', `/fhir/DocumentReference?patient=${world.id('alice')}`],
    ['_summary=count', `/fhir/DocumentReference?patient=${world.id('alice')}&_summary=count`],
    ['compartment', `/fhir/Patient/${world.id('alice')}/DocumentReference`],
    ['Patient read', `/fhir/Patient/${world.id('alice')}`],
    ['Patient by INS', `/fhir/Patient?identifier=${encodeURIComponent(`${fhir.INS_TEST_SYSTEM}|${world.ins('alice')}`)}`],
    ['Consent search', `/fhir/Consent?patient=${world.id('alice')}`],
    ['directory', '/fhir/Practitioner'],
    ['AuditEvent search', '/fhir/AuditEvent'],
  ];

  it('R1.3 gets 403 ROLE_NOT_RECOGNISED on every read and search', async () => {
    for (const [role, agent] of agents) {
      for (const [what, url] of reads(w)) expect(outcome(await agent.get(url)), `${role}: ${what}`).toBe('403 ROLE_NOT_RECOGNISED');
    }
  });

  it('R1.3 gets 403 ROLE_NOT_RECOGNISED on every write, and writes nothing', async () => {
    for (const [role, agent] of agents) {
      const doc = fhir.documentReference(w.id('alice'), { type: [fhir.LOINC, '11488-4'], description: `by ${role}` });
      expect(outcome(await postAs(agent, doc)), `${role}: create`).toBe('403 ROLE_NOT_RECOGNISED');
      expect(outcome(await putAs(agent, { ...w.stored.get('a-report')!, meta: undefined })), `${role}: update`).toBe('403 ROLE_NOT_RECOGNISED');
      expect(outcome(await agent.delete(`/fhir/DocumentReference/${w.id('a-report')}`)), `${role}: delete`).toBe('403 ROLE_NOT_RECOGNISED');
    }
    const stillThere = await (await w.agent('physician')).get(`/fhir/DocumentReference?patient=${w.id('alice')}&_summary=count`);
    expect(stillThere.body.total).toBe(5);
  });

  it('R1.3 names the rule in the refusal and is not a 401: the token itself is valid', async () => {
    const res = await agents.get('employer')!.get(`/fhir/DocumentReference/${w.id('a-report')}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body.issue[0].diagnostics).toContain('R1.3');
    expect((await agents.get('employer')!.get('/fhir/metadata')).status).toBe(200);
  });
});

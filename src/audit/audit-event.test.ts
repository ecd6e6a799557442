import { describe, expect, it } from 'vitest';
import { ACT_REASON_SYSTEM, RPPS_SYSTEM } from '../access/codes.js';
import { unauthorized } from '../fhir/errors.js';
import { buildAuditEvent, type AuditInput } from './audit-event.js';
import {
  ACCESS_MODE_SYSTEM,
  BALP,
  DICOM,
  DMP_ROLE_SYSTEM,
  IHE_EVENT_TYPE,
  PROFESSION_SYSTEM,
  RESTFUL_INTERACTION,
  SPECIALTY_SYSTEM,
  type AuditInteraction,
} from './codes.js';
import { outcomeOf } from './outcome.js';
import { BASE, CALLERS, NOW } from './test-fixture.js';

const input = (extra: Partial<AuditInput> = {}): AuditInput => ({
  interaction: 'read',
  recorded: NOW,
  outcome: '0',
  caller: CALLERS.gp,
  client: { address: '192.0.2.10', clientId: 'lgc-cabinet' },
  accessMode: 'normal',
  baseUrl: BASE,
  patients: ['Patient/alice'],
  entities: [{ type: 'DocumentReference', id: 'd1', versionId: 2 }],
  ...extra,
});

const codes = (concepts: Array<{ coding?: Array<{ system?: string; code?: string }> }> | undefined) =>
  (concepts ?? []).flatMap((c) => c.coding ?? []).map((c) => `${c.system}|${c.code}`);

describe('the AuditEvent of one interaction (BALP, DMP-RULES section 12)', () => {
  const table: Array<[AuditInteraction, string, string | undefined, string, string]> = [
    // interaction, action, BALP profile, caller participation, client DICOM role
    ['read', 'R', 'PatientRead', 'IRCP', '110152'],
    ['vread', 'R', 'PatientRead', 'IRCP', '110152'],
    ['search-type', 'E', 'PatientQuery', 'IRCP', '110153'],
    ['create', 'C', 'PatientCreate', 'AUT', '110153'],
    ['update', 'U', 'PatientUpdate', 'AUT', '110153'],
    ['patch', 'U', 'PatientUpdate', 'AUT', '110153'],
    ['delete', 'D', 'PatientDelete', 'CST', '110153'],
    ['history-instance', 'R', undefined, 'IRCP', '110153'],
    ['history-type', 'E', undefined, 'IRCP', '110153'],
    ['transaction', 'E', undefined, 'AUT', '110153'],
    ['batch', 'E', undefined, 'AUT', '110153'],
    ['operation', 'E', undefined, 'IRCP', '110153'],
  ];

  it.each(table)('records a %s as action %s with its restful-interaction subtype and agents', (interaction, action, profile, who, client) => {
    const event = buildAuditEvent(input({ interaction }));
    expect(event.type).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' });
    expect(event.subtype?.[0]).toEqual({ system: RESTFUL_INTERACTION, code: interaction });
    expect(event.action).toBe(action);
    expect(event.recorded).toBe(NOW.toISOString());
    expect(event.outcome).toBe('0');
    expect(event.meta?.profile).toEqual(profile ? [`${BALP}${profile}`] : undefined);
    expect(event.agent[0]!.requestor).toBe(true);
    expect(codes([event.agent[0]!.type!])).toEqual([`http://terminology.hl7.org/CodeSystem/v3-ParticipationType|${who}`]);
    expect(event.agent[1]!.requestor).toBe(false);
    expect(codes([event.agent[1]!.type!])).toEqual([`${DICOM}|${client}`]);
    expect(event.source.observer).toEqual({ identifier: { system: 'urn:ietf:rfc:3986', value: BASE }, display: 'dmp-fhir-server' });
  });

  it('names the holder as the patient entity and each resource by versioned reference', () => {
    const event = buildAuditEvent(input({ entities: [{ type: 'DocumentReference', id: 'd1', versionId: 2 }, { type: 'Binary', id: 'b1' }] }));
    expect(event.entity).toEqual([
      {
        what: { reference: 'Patient/alice' },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
      },
      expect.objectContaining({ what: { reference: 'DocumentReference/d1/_history/2' } }),
      expect.objectContaining({ what: { reference: 'Binary/b1' } }),
    ]);
  });

  it('identifies a professional by RPPS with profession, specialty and DMP role', () => {
    const [caller, app] = buildAuditEvent(input()).agent;
    expect(caller!.who).toEqual({ reference: 'Practitioner/gp', identifier: { system: RPPS_SYSTEM, value: CALLERS.gp.rpps } });
    expect(caller!.altId).toBe(CALLERS.gp.sub);
    expect(codes(caller!.role)).toEqual([`${DMP_ROLE_SYSTEM}|professional`, `${PROFESSION_SYSTEM}|10`, `${SPECIALTY_SYSTEM}|SM26`]);
    expect(app!.who).toEqual({ identifier: expect.objectContaining({ value: 'lgc-cabinet' }), display: 'lgc-cabinet' });
    expect(app!.network).toEqual({ address: '192.0.2.10', type: '2' });
  });

  it('identifies the holder as their Patient and a representative as their RelatedPerson', () => {
    expect(buildAuditEvent(input({ caller: CALLERS.alice })).agent[0]!.who).toEqual({ reference: 'Patient/alice' });
    expect(buildAuditEvent(input({ caller: CALLERS.danMother })).agent[0]!.who).toEqual({ reference: 'RelatedPerson/dan-mother' });
  });

  it('identifies a caller without RPPS or fhirUser by token subject', () => {
    const [caller] = buildAuditEvent(input({ caller: CALLERS.reception })).agent;
    expect(caller!.who?.identifier?.value).toBe('reception-1');
    expect(codes(caller!.role)).toEqual([`${DMP_ROLE_SYSTEM}|reception`]);
  });

  it('names the client application by network address when the token has no client id', () => {
    const app = buildAuditEvent(input({ client: { address: '198.51.100.7' } })).agent[1]!;
    expect(app.who).toEqual({ display: '198.51.100.7' });
    expect(app.network?.address).toBe('198.51.100.7');
  });

  it('shows break-glass as purposeOfUse ETREAT and access mode bris_de_glace', () => {
    const event = buildAuditEvent(input({ caller: CALLERS.strangerBreakGlass, accessMode: 'bris_de_glace', rule: 'R6.1' }));
    expect(codes(event.agent[0]!.purposeOfUse)).toEqual([`${ACT_REASON_SYSTEM}|ETREAT`]);
    expect(codes(event.purposeOfEvent)).toEqual([`${ACCESS_MODE_SYSTEM}|bris_de_glace`]);
    expect(event.outcomeDesc).toBe('R6.1');
  });

  it('records a regulator access as centre_15 with ETREAT although the token did not ask for it', () => {
    const event = buildAuditEvent(input({ caller: CALLERS.regulator, accessMode: 'centre_15' }));
    expect(codes(event.agent[0]!.purposeOfUse)).toEqual([`${ACT_REASON_SYSTEM}|ETREAT`]);
    expect(codes(event.purposeOfEvent)).toEqual([`${ACCESS_MODE_SYSTEM}|centre_15`]);
  });

  it('records normal access mode and no purposeOfUse for an ordinary caller', () => {
    const event = buildAuditEvent(input());
    expect(event.agent[0]!.purposeOfUse).toBeUndefined();
    expect(codes(event.purposeOfEvent)).toEqual([`${ACCESS_MODE_SYSTEM}|normal`]);
  });

  it('names the deciding rule and error code of a denial, and claims no BALP success profile', () => {
    const event = buildAuditEvent(input({ outcome: '4', rule: 'R3.4', errorCode: 'BLOCKED_PROFESSIONAL' }));
    expect(event.outcome).toBe('4');
    expect(event.outcomeDesc).toBe('R3.4 BLOCKED_PROFESSIONAL');
    expect(event.meta).toBeUndefined();
  });

  it('records a failed authentication with the network address as the only agent fact', () => {
    const failure = outcomeOf(unauthorized('MISSING_TOKEN', 'no token'));
    const event = buildAuditEvent(input({ caller: undefined, client: { address: '203.0.113.5' }, patients: [], entities: [], ...failure }));
    expect(event.outcome).toBe('4');
    expect(event.outcomeDesc).toBe('R1.1 MISSING_TOKEN');
    expect(event.agent[0]).toMatchObject({ requestor: true, network: { address: '203.0.113.5', type: '2' } });
    expect(event.agent[0]!.who?.reference).toBeUndefined();
    expect(event.entity).toBeUndefined();
  });

  it('adds the MHD transaction to the subtype when given', () => {
    const event = buildAuditEvent(input({ interaction: 'transaction', mhd: 'ITI-65' }));
    expect(event.subtype).toEqual([
      { system: RESTFUL_INTERACTION, code: 'transaction' },
      { system: IHE_EVENT_TYPE, code: 'ITI-65', display: 'Provide Document Bundle' },
    ]);
  });

  it('names the operation of an operation interaction', () => {
    const event = buildAuditEvent(input({ interaction: 'operation', operation: '$everything' }));
    expect(event.subtype?.map((c) => c.code)).toEqual(['operation', '$everything']);
  });

  it('counts the entities left out when the cap was reached', () => {
    const event = buildAuditEvent(input({ omitted: 12 }));
    expect(event.extension).toEqual([{ url: 'https://dmp-fhir-server.example/StructureDefinition/audit-entities-omitted', valueUnsignedInt: 12 }]);
  });
});

import { describe, expect, it } from 'vitest';
import { INVISIBLE_TO_PATIENT } from '../access/codes.js';
import { buildAuditEvent } from './audit-event.js';
import { queryEntity, redactQuery, REDACTED } from './audit-entities.js';
import { BASE, CALLERS, doc, NOW, PSYCHIATRIC_TITLE, PSYCHIATRIC_TYPE, rowOf } from './test-fixture.js';

const decode = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

describe('the query entity of a search (BALP entity[query])', () => {
  it('records the query base64-encoded with role 24', () => {
    const entity = queryEntity('patient=Patient/alice&_count=10');
    expect(entity.role).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' });
    expect(entity.what).toBeUndefined();
    expect(decode(entity.query)).toBe('patient=Patient%2Falice&_count=10');
  });

  it('keeps ids, the holder, dates and paging, and redacts values that could describe a document', () => {
    const query = redactQuery([
      ['_id', 'd1'],
      ['patient', 'Patient/alice'],
      ['date', 'ge2025-01-01'],
      ['type', `http://loinc.org|${PSYCHIATRIC_TYPE}`],
      ['description', 'psychiatrique'],
      ['subject:Patient.name', 'Martin'],
      ['_has:List:item:code', 'x'],
      ['type:text', 'psy'],
    ]);
    const pairs = [...new URLSearchParams(query)];
    expect(pairs).toEqual([
      ['_id', 'd1'],
      ['patient', 'Patient/alice'],
      ['date', 'ge2025-01-01'],
      ['type', REDACTED],
      ['description', REDACTED],
      ['subject:Patient.name', REDACTED],
      ['_has:List:item:code', REDACTED],
      ['type:text', REDACTED],
    ]);
  });
});

describe('R5.5: an AuditEvent names no type or title of a document', () => {
  it('holds only references to a document hidden from the holder, whatever the query said', () => {
    const hidden = rowOf(doc('hidden-1', 'alice', [INVISIBLE_TO_PATIENT]));
    const event = buildAuditEvent({
      interaction: 'search-type',
      recorded: NOW,
      outcome: '0',
      caller: CALLERS.gp,
      client: { address: '192.0.2.10' },
      accessMode: 'normal',
      baseUrl: BASE,
      patients: ['Patient/alice'],
      entities: [{ type: hidden.type, id: hidden.id, versionId: hidden.versionId }],
      query: `patient=Patient/alice&type=http://loinc.org|${PSYCHIATRIC_TYPE}&description=${encodeURIComponent(PSYCHIATRIC_TITLE)}`,
    });
    const text = JSON.stringify(event) + decode(event.entity?.find((e) => e.query)?.query);
    expect(text).toContain('DocumentReference/hidden-1/_history/1');
    expect(text).not.toContain(PSYCHIATRIC_TYPE);
    expect(text.toLowerCase()).not.toContain('psychiatrique');
    expect(text).not.toContain(INVISIBLE_TO_PATIENT);
  });
});

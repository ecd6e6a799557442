import { describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { checkId } from './check-id.js';

function outcome(resource: { resourceType?: string; id?: unknown }, urlId?: string): string {
  try {
    checkId(resource, urlId);
    return 'ok';
  } catch (error) {
    if (error instanceof FhirError) return `${error.status} ${error.code} ${error.issues[0]?.expression?.[0] ?? ''}`.trim();
    throw error;
  }
}

describe('checkId', () => {
  it('accepts an update whose body id equals the URL id', () => {
    expect(outcome({ resourceType: 'Patient', id: 'abc-1.2' }, 'abc-1.2')).toBe('ok');
  });

  it('refuses an update whose body id differs from the URL id (400 ID_MISMATCH)', () => {
    expect(outcome({ resourceType: 'Patient', id: 'a' }, 'b')).toBe('400 ID_MISMATCH Patient.id');
  });

  it('refuses an update whose body has no id (400 ID_MISMATCH)', () => {
    expect(outcome({ resourceType: 'Patient' }, 'b')).toBe('400 ID_MISMATCH Patient.id');
  });

  it('accepts a create with or without a well-formed id', () => {
    expect(outcome({ resourceType: 'Patient' })).toBe('ok');
    expect(outcome({ resourceType: 'Patient', id: 'A'.repeat(64) })).toBe('ok');
  });

  it('refuses ids that break the R4 id syntax, in the body or the URL', () => {
    expect(outcome({ resourceType: 'Patient', id: 'A'.repeat(65) })).toBe('400 INVALID_ID Patient.id');
    expect(outcome({ resourceType: 'Patient', id: 'a b' })).toBe('400 INVALID_ID Patient.id');
    expect(outcome({ resourceType: 'Patient', id: 'a_b' })).toBe('400 INVALID_ID Patient.id');
    expect(outcome({ resourceType: 'Patient', id: '' })).toBe('400 INVALID_ID Patient.id');
    expect(outcome({ resourceType: 'Patient', id: 42 })).toBe('400 INVALID_ID Patient.id');
    expect(outcome({ resourceType: 'Patient', id: 'x' }, 'x/../y')).toBe('400 INVALID_ID');
  });
});

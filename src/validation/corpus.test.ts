import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import { parseFhirJson } from './parse-json.js';
import { validationReport } from './validate.js';

/** The shared public corpus, read in place beside the repository, never copied into it. */
const CORPUS = new URL('../../../shared/corpus/', import.meta.url);

/** Anything but the dom-6 "should have a narrative" warning deserves a look. */
function notable(issues: OperationOutcomeIssue[]): string[] {
  return issues
    .filter((i) => i.severity === 'error' || i.severity === 'fatal' || !i.diagnostics?.startsWith('dom-6'))
    .map((i) => `${i.severity} ${i.expression?.[0]}: ${i.diagnostics}`);
}

// The corpus has examples of every supported type but Communication (written by the server only).
const examples = RESOURCE_TYPES.filter((type) => existsSync(new URL(`r4-examples/${type}/`, CORPUS))).flatMap((type) =>
  readdirSync(new URL(`r4-examples/${type}/`, CORPUS)).filter((f) => f.endsWith('.json')).sort().map((file) => ({ type, file })),
);

describe('the official R4 examples of the supported types', () => {
  it('are all there to be checked', () => {
    expect(examples.length).toBe(100);
  });

  it.each(examples)('$file validates with no error and no unevaluated invariant', ({ type, file }) => {
    const body = readFileSync(new URL(`r4-examples/${type}/${file}`, CORPUS));
    const report = validationReport(type, parseFhirJson(body));
    expect(notable(report.issues)).toEqual([]);
    expect(report.status).toBe(200);
  });
});

const BULK_TYPES = ['DocumentReference', 'Patient', 'AllergyIntolerance', 'Immunization', 'Organization', 'Practitioner', 'PractitionerRole'];

describe('the Synthea bulk NDJSON of the supported types', () => {
  it.each(BULK_TYPES)('every %s line validates with no error', (type) => {
    const text = readFileSync(new URL(`synthea-r4-bulk-ndjson-10-patients/${type}.000.ndjson`, CORPUS), 'utf8');
    const lines = text.split('\n').filter((line) => line.trim());
    const failures = lines.flatMap((line, n) => {
      const report = validationReport(type, parseFhirJson(line));
      const found = notable(report.issues);
      return report.status === 200 && found.length === 0 ? [] : [`line ${n + 1}: ${report.status} ${found.join('; ')}`];
    });
    expect(failures).toEqual([]);
    if (type === 'DocumentReference') expect(lines).toHaveLength(1215);
  });
});

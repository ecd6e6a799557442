/** The parts of the `Prefer` header (RFC 7240) FHIR uses. */
export interface Preferences {
  return?: 'minimal' | 'representation' | 'OperationOutcome';
  handling?: 'strict' | 'lenient';
}

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const prefs: Preferences = {};
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const value of values) {
    for (const part of value.split(/[,;]/)) {
      const [rawKey, rawVal] = part.split('=').map((s) => s?.trim().replace(/^"|"$/g, ''));
      const key = rawKey?.toLowerCase();
      if (key === 'return' && (rawVal === 'minimal' || rawVal === 'representation' || rawVal === 'OperationOutcome')) {
        prefs.return = rawVal;
      } else if (key === 'handling' && (rawVal === 'strict' || rawVal === 'lenient')) {
        prefs.handling = rawVal;
      }
    }
  }
  return prefs;
}

import { forbidden } from '../fhir/errors.js';
import type { AccessContext } from './access-context.js';

/**
 * D28: who may ask `DocumentReference/[id]/$access`. The holder and their reps ask about a document
 * they can read (a document hidden from them, R5.3 or R5.4, is a 404 as on read); the administrator
 * answers support questions without reading clinical data (R1.4): only the document's existence is
 * checked, and the answer names actors and rules, never content. Everyone else, professionals first,
 * gets 403: who else can see a document is the holder's business.
 */
export type ExplainGate = 'readable-by-caller' | 'existing';

export function explainGate(caller: AccessContext): ExplainGate {
  if (caller.role === 'patient' || caller.role === 'legal-representative') return 'readable-by-caller';
  if (caller.role === 'admin') return 'existing';
  throw forbidden('ACCESS_REPORT_NOT_ALLOWED', 'only the holder, their legal representatives and the administrator may ask who can see a document (D28)', 'D28');
}

import type { AuditRecorder } from './recorder.js';

/**
 * The one wrapper of CONVENTIONS.md rule 7: runs an interaction with its recorder and records the
 * outcome, awaited, success or failure. When the interaction throws, its error is what the client
 * gets, unless the trace itself cannot be written: then the audit failure (500) replaces it.
 */
export async function withAudit<T>(recorder: AuditRecorder, work: (audit: AuditRecorder) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work(recorder);
  } catch (error) {
    await recorder.finish(undefined, error);
    throw error;
  }
  await recorder.finish('0');
  return result;
}

import type { Bundle, OperationOutcome } from 'fhir/r4';
import type { OutgoingRequest, Scenario } from './scenarios.js';

/**
 * What a scenario's requests really answer, checked before it is measured: a benchmark of 404s or
 * of empty pages would measure nothing. Also decides whether ITI-65 exists on this server yet.
 */

async function send(base: string, request: OutgoingRequest): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${request.path}`, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

function issueCode(body: unknown): string {
  const outcome = body as OperationOutcome | undefined;
  const issue = outcome?.resourceType === 'OperationOutcome' ? outcome.issue?.[0] : undefined;
  return issue ? `${issue.code}${issue.details?.coding?.[0]?.code ? ` ${issue.details.coding[0].code}` : ''}: ${issue.diagnostics ?? ''}`.slice(0, 200) : '';
}

export interface CheckResult {
  ok: boolean;
  summary: string;
}

/** Sends `samples` requests of the scenario and describes the answers; not ok on any non-2xx. */
export async function checkScenario(base: string, scenario: Scenario, samples = 5): Promise<CheckResult> {
  const statuses: number[] = [];
  const sizes: number[] = [];
  let problem = '';
  for (let i = 0; i < samples; i++) {
    const { status, body } = await send(base, scenario.next());
    statuses.push(status);
    if (status >= 300 && !problem) problem = `${status} ${issueCode(body)}`;
    const bundle = body as Bundle | undefined;
    if (bundle?.resourceType === 'Bundle') sizes.push((bundle.entry ?? []).filter((e) => !e.search || e.search.mode === 'match').length);
  }
  const ok = statuses.every((s) => s >= 200 && s < 300);
  const entries = sizes.length ? `, entries per page ${Math.min(...sizes)}–${Math.max(...sizes)}` : '';
  return { ok, summary: `statuses ${[...new Set(statuses)].join('/')}${entries}${problem ? `; first failure: ${problem}` : ''}` };
}

/**
 * Whether `POST /fhir` takes an ITI-65 bundle on this server: one real bundle is sent. 404 or 405
 * means the route does not exist yet ("not available"); a 2xx means it does; any other answer is
 * reported as it is (the scenario then does not run: a figure of refusals would be fake).
 */
export async function probeIti65(base: string, scenario: Scenario): Promise<{ available: boolean; note: string }> {
  const { status, body } = await send(base, scenario.next());
  if (status === 404 || status === 405 || status === 501) return { available: false, note: `not available: POST /fhir answers ${status} (${issueCode(body) || 'no route'})` };
  if (status >= 200 && status < 300) {
    const bundle = body as Bundle | undefined;
    const codes = (bundle?.entry ?? []).map((e) => e.response?.status?.split(' ')[0]).join('/');
    return { available: true, note: `POST /fhir ${status}, ${bundle?.type ?? 'no bundle'} ${codes}` };
  }
  return { available: false, note: `not available: the probe bundle was refused, ${status} ${issueCode(body)}` };
}

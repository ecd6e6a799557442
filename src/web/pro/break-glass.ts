import { currentToken, subscribeToken } from '../session-store.js';
import type { Claims } from '../session.js';

/**
 * Break-glass (R6.1) is a property of the token: `purpose_of_use` ETREAT (or BTG). In development
 * mode the page asks `POST /dev/token` for the same identity with that purpose (D4); elsewhere only
 * the identity provider can issue such a token. The reason the professional states is kept with
 * the token in this tab and shown for as long as that token is in use.
 */

const KEY = 'dmp-web-break-glass';

// Signing out forgets the break-glass state too: it holds the token to go back to.
subscribeToken(() => {
  if (!currentToken()) saveBreakGlass(undefined);
});

export const BREAK_GLASS_PURPOSES = ['ETREAT', 'BTG'];

export function isBreakGlass(claims: Claims): boolean {
  return claims.role === 'professional' && BREAK_GLASS_PURPOSES.includes(String(claims.purpose_of_use ?? ''));
}

export interface BreakGlassState {
  /** The break-glass token this state belongs to. */
  token: string;
  /** The token to go back to when the emergency access ends. */
  previousToken: string;
  reason: string;
  /** Who the access was asked for (name and INS), as shown when it started. */
  patient: string;
  since: string;
}

export function readBreakGlass(token: string): BreakGlassState | undefined {
  try {
    const state = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as BreakGlassState | null;
    return state && state.token === token ? state : undefined;
  } catch {
    return undefined;
  }
}

export function saveBreakGlass(state: BreakGlassState | undefined): void {
  if (state) sessionStorage.setItem(KEY, JSON.stringify(state));
  else sessionStorage.removeItem(KEY);
}

/** The `POST /dev/token` options that give back the identity of these claims, with another purpose of use. */
export function tokenRequest(claims: Claims, purpose: string): Record<string, string> {
  const request: Record<string, string> = { role: String(claims.role), purpose };
  for (const [claim, option] of [
    ['sub', 'sub'],
    ['fhirUser', 'fhirUser'],
    ['rpps', 'rpps'],
    ['profession', 'profession'],
    ['specialty', 'specialty'],
    ['organization', 'organization'],
    ['scope', 'scope'],
  ] as const) {
    const value = claims[claim];
    if (typeof value === 'string' && value) request[option] = value;
  }
  return request;
}

/** Raised when the server mints no token (not in development mode): only the identity provider can. */
export class NoDevTokenError extends Error {
  override name = 'NoDevTokenError';
}

export async function remint(claims: Claims, purpose: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(tokenRequest(claims, purpose)),
    });
  } catch (err) {
    throw new Error(`le serveur est injoignable (${(err as Error).message})`);
  }
  if (response.status === 404) throw new NoDevTokenError('ce serveur ne délivre pas de jeton (il n’est pas en mode développement)');
  if (!response.ok) {
    let detail = '';
    try {
      detail = ((await response.json()) as fhir4.OperationOutcome).issue?.[0]?.diagnostics ?? '';
    } catch {
      // no JSON body: the status says enough
    }
    throw new Error(`jeton refusé par le serveur (HTTP ${response.status}${detail ? ` : ${detail}` : ''})`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

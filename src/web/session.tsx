import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { currentToken, storeToken, subscribeToken } from './session-store.js';

export type Claims = Record<string, unknown> & {
  role?: string;
  rpps?: string;
  profession?: string;
  specialty?: string;
  fhirUser?: string;
};

export interface Session {
  token: string;
  /** Decoded from the token's payload for display and navigation only; the server decides access. */
  claims: Claims;
  signIn(token: string): void;
  signOut(): void;
}

/** The payload of a JWT, without verifying it; `{}` when the text is not a JWT. */
export function decodeClaims(token: string): Claims {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return {};
    const fields = claims as Claims;
    // The server reads the role from `dmp_role`; `role` is its name here.
    const role = typeof fields.dmp_role === 'string' ? fields.dmp_role : fields.role;
    return { ...fields, ...(role ? { role } : {}) };
  } catch {
    return {};
  }
}

/** The space a role lands on after sign-in (hash routes). */
export function homeOf(claims: Claims): string {
  switch (claims.role) {
    case 'patient':
    case 'legal-representative':
      return '/mon-dmp';
    case 'admin':
      return '/regles';
    default:
      return '/pro';
  }
}

export function useSession(): Session {
  const token = useSyncExternalStore(subscribeToken, currentToken, () => '');
  const claims = useMemo(() => decodeClaims(token), [token]);
  const signIn = useCallback((next: string) => storeToken(next.trim()), []);
  const signOut = useCallback(() => storeToken(''), []);
  return { token, claims, signIn, signOut };
}

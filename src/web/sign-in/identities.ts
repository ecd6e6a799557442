/** One demo identity as `GET /dev/identities` lists it (development mode only). */
export interface DevIdentity {
  key: string;
  label: string;
  shows: string;
  claims: Record<string, string>;
}

/** The demo identities, or `undefined` when the server is not in development mode (404). */
export async function fetchIdentities(): Promise<DevIdentity[] | undefined> {
  const response = await fetch('/dev/identities', { headers: { accept: 'application/json' } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`liste des identités de démonstration indisponible (HTTP ${response.status})`);
  return ((await response.json()) as { identities: DevIdentity[] }).identities;
}

/** A development token for the given claims (`POST /dev/token`). */
export async function mintToken(claims: Record<string, string>): Promise<string> {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(claims),
  });
  if (!response.ok) throw new Error(`jeton de démonstration refusé (HTTP ${response.status})`);
  return ((await response.json()) as { access_token: string }).access_token;
}

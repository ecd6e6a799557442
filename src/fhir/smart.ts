import type { Config } from '../config.js';

export interface OAuthEndpoints {
  authorize?: string;
  token?: string;
}

/** The origin + path prefix of the server, from the FHIR base (`http://host/fhir` → `http://host`). */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/fhir$/, '');
}

/**
 * Where clients get tokens: SMART_* variables when set; in development mode the token endpoint is
 * `POST /dev/token` (D4). With a real identity provider and no SMART_* variable nothing is published.
 */
export function oauthEndpoints(config: Pick<Config, 'baseUrl' | 'auth' | 'smart'>): OAuthEndpoints {
  const devToken = config.auth.mode === 'development' ? `${serverRoot(config.baseUrl)}/dev/token` : undefined;
  const token = config.smart.tokenUrl ?? devToken;
  return { ...(config.smart.authorizeUrl ? { authorize: config.smart.authorizeUrl } : {}), ...(token ? { token } : {}) };
}

/** SMART App Launch 2.x discovery document (https://hl7.org/fhir/smart-app-launch/conformance.html). */
export function smartConfiguration(config: Pick<Config, 'baseUrl' | 'auth' | 'smart'>): Record<string, unknown> {
  const endpoints = oauthEndpoints(config);
  const issuer = config.auth.mode === 'development' ? serverRoot(config.baseUrl) : config.auth.issuer;
  return {
    issuer,
    jwks_uri: config.auth.mode === 'jwks-url' ? config.auth.jwksUrl : `${serverRoot(config.baseUrl)}/.well-known/jwks.json`,
    ...(endpoints.authorize ? { authorization_endpoint: endpoints.authorize } : {}),
    ...(endpoints.token ? { token_endpoint: endpoints.token } : {}),
    grant_types_supported: endpoints.authorize ? ['authorization_code', 'client_credentials'] : ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
    scopes_supported: ['openid', 'fhirUser', 'launch/patient', 'patient/*.rs', 'user/*.cruds', 'system/*.cruds', 'offline_access'],
    response_types_supported: ['code'],
    capabilities: ['client-confidential-asymmetric', 'permission-v2', 'permission-patient', 'permission-user', 'context-standalone-patient', 'sso-openid-connect'],
    code_challenge_methods_supported: ['S256'],
  };
}

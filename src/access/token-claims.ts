import type { JWTPayload } from 'jose';
import {
  PURPOSES_OF_USE,
  isRole,
  type AccessContext,
  type FhirUserReference,
  type FhirUserType,
  type PurposeOfUse,
  type Role,
} from './access-context.js';
import { parseScopes } from './smart-scopes.js';

/** The token's claims break D3 (missing, ill-typed or inconsistent): the token is invalid (401). */
export class InvalidClaimsError extends Error {
  override name = 'InvalidClaimsError';
}

/** A well-formed identity whose `dmp_role` is none of R1.1's: it gets nothing (R1.3, 403). */
export class UnrecognisedRoleError extends Error {
  override name = 'UnrecognisedRoleError';
  constructor(readonly role: string) {
    super(
      /^[\w.-]{1,40}$/.test(role)
        ? `the role "${role}" has no access to this server (R1.3)`
        : 'the token\'s role has no access to this server (R1.3)',
    );
  }
}

const RPPS = /^\d{11}$/;
const PROFESSION = /^\d{2}$/;
const SPECIALTY = /^[A-Z]{1,4}\d{1,4}$/;
/** 9 characters; Corsican départements are `2A` and `2B`. */
const FINESS = /^(?:\d{2}|2[AB])\d{7}$/;
const FHIR_USER = /^(Practitioner|Patient|RelatedPerson|Device)\/([A-Za-z0-9\-.]{1,64})$/;

/** Professions whose tokens must name a specialty (R1.2: physicians and pharmacists). */
const NEEDS_SPECIALTY = new Set(['10', '21']);
const NEEDS_RPPS: ReadonlySet<Role> = new Set(['professional', 'regulator', 'delegate']);
/** A `fhirUser` of another type than these would let one kind of caller pose as another. */
const FHIR_USER_TYPES: Record<Role, FhirUserType[]> = {
  professional: ['Practitioner'],
  delegate: ['Practitioner'],
  regulator: ['Practitioner'],
  reception: ['Practitioner', 'Device'],
  'insurer-agent': ['Practitioner', 'Device'],
  'insurer-feed': ['Device'],
  admin: ['Practitioner', 'Device'],
  patient: ['Patient'],
  'legal-representative': ['RelatedPerson'],
};
/** Without `fhirUser` nothing would say whose record a holder or a rep may reach. */
const NEEDS_FHIR_USER: ReadonlySet<Role> = new Set(['patient', 'legal-representative']);

function optionalString(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidClaimsError(`the claim "${claim}" must be a non-empty string`);
  return value.trim();
}

function matching(payload: JWTPayload, claim: string, shape: RegExp, what: string): string | undefined {
  const value = optionalString(payload, claim);
  if (value !== undefined && !shape.test(value)) throw new InvalidClaimsError(`the claim "${claim}" must be ${what}`);
  return value;
}

/** `Type/id`, or the same under this server's base URL; anything else names a resource we do not hold. */
function fhirUser(payload: JWTPayload, role: Role, baseUrl: string): FhirUserReference | undefined {
  const value = optionalString(payload, 'fhirUser');
  if (value === undefined) {
    if (NEEDS_FHIR_USER.has(role)) throw new InvalidClaimsError(`a ${role} token needs a "fhirUser" claim`);
    return undefined;
  }
  const relative = value.startsWith(`${baseUrl}/`) ? value.slice(baseUrl.length + 1) : value;
  const match = FHIR_USER.exec(relative);
  if (!match) throw new InvalidClaimsError('the claim "fhirUser" must be Practitioner/…, Patient/…, RelatedPerson/… or Device/…');
  const allowed = FHIR_USER_TYPES[role];
  if (!allowed.includes(match[1] as FhirUserType)) {
    throw new InvalidClaimsError(`a ${role} token's "fhirUser" must be a ${allowed.join(' or ')}`);
  }
  return relative as FhirUserReference;
}

function scopes(payload: JWTPayload): AccessContext['scopes'] {
  const value = payload.scope;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return parseScopes(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return parseScopes(value.join(' '));
  throw new InvalidClaimsError('the claim "scope" must be a space-separated string');
}

function purposeOfUse(payload: JWTPayload): PurposeOfUse | undefined {
  const value = optionalString(payload, 'purpose_of_use');
  if (value !== undefined && !(PURPOSES_OF_USE as readonly string[]).includes(value)) {
    throw new InvalidClaimsError(`the claim "purpose_of_use" must be one of ${PURPOSES_OF_USE.join(', ')}`);
  }
  return value as PurposeOfUse | undefined;
}

/** The professional facts R1.2 requires of professionals, regulators and (their PS's) delegates. */
function professionalFacts(payload: JWTPayload, role: Role) {
  const rpps = matching(payload, 'rpps', RPPS, 'an 11-digit RPPS number');
  const profession = matching(payload, 'profession', PROFESSION, 'a TRE_G15 profession code (two digits)');
  const specialty = matching(payload, 'specialty', SPECIALTY, 'a TRE_R38 specialty code (e.g. SM26)');
  if (NEEDS_RPPS.has(role)) {
    if (!rpps) throw new InvalidClaimsError(`a ${role} token needs an "rpps" claim`);
    if (!profession) throw new InvalidClaimsError(`a ${role} token needs a "profession" claim`);
    if (role !== 'delegate' && NEEDS_SPECIALTY.has(profession) && !specialty) {
      throw new InvalidClaimsError(`a ${role} token with profession ${profession} needs a "specialty" claim`);
    }
  }
  return { rpps, profession, specialty };
}

/**
 * The access context a verified token's claims describe (D3). Throws `InvalidClaimsError` when the
 * claims are incomplete or inconsistent and `UnrecognisedRoleError` for a role outside R1.1.
 */
export function contextFromClaims(payload: JWTPayload, options: { baseUrl: string }): AccessContext {
  const role = optionalString(payload, 'dmp_role');
  if (!role) throw new InvalidClaimsError('the token has no "dmp_role" claim');
  const sub = optionalString(payload, 'sub');
  if (!sub) throw new InvalidClaimsError('the token has no "sub" claim');
  if (!isRole(role)) throw new UnrecognisedRoleError(role);

  const { rpps, profession, specialty } = professionalFacts(payload, role);
  const purpose = purposeOfUse(payload);
  const context: AccessContext = {
    role,
    sub,
    fhirUser: fhirUser(payload, role, options.baseUrl),
    rpps,
    profession,
    specialty,
    organization: matching(payload, 'organization', FINESS, 'a 9-character FINESS number'),
    purposeOfUse: purpose,
    scopes: scopes(payload),
    clientId: optionalString(payload, 'client_id') ?? optionalString(payload, 'azp'),
    breakGlass: role === 'professional' && (purpose === 'ETREAT' || purpose === 'BTG'),
  };
  // Absent facts stay absent rather than `undefined` keys, so contexts compare and log cleanly.
  for (const key of Object.keys(context) as Array<keyof AccessContext>) {
    if (context[key] === undefined) delete context[key];
  }
  return context;
}

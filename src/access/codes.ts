/**
 * The code and identifier systems the access rules read (DMP-RULES.md section 11 and 12). Systems
 * are compared after `canonicalSystem` (search/normalise.ts), so an `urn:oid:` form listed in
 * profiles/code-system-oids.json and its canonical URL are one system.
 */

export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
/** IdNat_PS: `8` followed by the RPPS number names the same professional. */
export const IDNAT_PS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
export const FINESS_SYSTEM = 'https://finess.esante.gouv.fr';
/** IdNat_Struct: `1` followed by the FINESS number names the same structure. */
export const IDNAT_STRUCT_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';

export const VISIBILITY_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';

/** TRE_A07 visibility labels (R5.1, R5.3, R5.4). */
export const MASKED_TO_PROFESSIONALS = 'MASQUE_PS';
export const INVISIBLE_TO_PATIENT = 'INVISIBLE_PATIENT';
export const INVISIBLE_TO_REPS = 'INVISIBLE_REPRESENTANTS_LEGAUX';
export const VISIBILITY_LABELS: readonly string[] = [MASKED_TO_PROFESSIONALS, INVISIBLE_TO_PATIENT, INVISIBLE_TO_REPS];

export const OUR_CODES = 'https://dmp-fhir-server.example/CodeSystem/';
export const CONSENT_CATEGORY_SYSTEM = `${OUR_CODES}consent-category`;
export const DMP_CREATION = 'dmp-creation';
export const DMP_ACCESS = 'dmp-access';
/** `meta.tag` recording that a delegate deposited the document in its professional's name (section 12). */
export const ACTOR_SYSTEM = `${OUR_CODES}actor`;

export const PARTICIPATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const ROLE_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const ACT_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** v3-RoleCode of a DMP GP in a dmp-access provision (R3.3). */
export const GP_ROLE = 'PCP';
/** Relationships that make a RelatedPerson a legal representative (R2.3, D34). */
export const REP_RELATIONSHIPS: readonly string[] = ['PRN', 'GUARD'];
/** Purposes of use whose denial is the opposition to emergency access (R3.5). */
export const EMERGENCY_PURPOSES: readonly string[] = ['ETREAT', 'BTG'];

export const LOINC = 'http://loinc.org';
/** The medical summary (VSM), which only a DMP GP deposits (R8.4). */
export const VSM_TYPE = `${LOINC}|60591-5`;

export const ARCHIVED_EXTENSION = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';

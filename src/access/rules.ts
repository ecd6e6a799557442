import { canonicalSystem } from '../search/normalise.js';
import { readProfile } from '../search/profiles-file.js';

/**
 * The two data tables of the access rules, read from `profiles/` and checked at load: the document
 * families (R4.1, profiles/document-families.json) and the habilitation matrix (R4.2,
 * profiles/habilitation-matrix.json). Replacing either file changes behaviour without code change;
 * a file naming an unknown family is refused at start-up rather than silently granting nothing.
 */

export interface FamilyTable {
  families: readonly string[];
  defaultFamily: string;
  /** `system|code` of a DocumentReference type → family. */
  byType: ReadonlyMap<string, string>;
  /** `system|code` of a `context.practiceSetting` → family, whatever the type (psychiatry). */
  byPracticeSetting: ReadonlyMap<string, string>;
  /** `system|code` of classes that make a document reimbursement data. */
  reimbursementClasses: ReadonlySet<string>;
  holderFamily: string;
  keepTypeFamilies: ReadonlySet<string>;
  /** Fixed families of non-document types (D22). */
  byResourceType: ReadonlyMap<string, string>;
}

export interface MatrixRow {
  profession: string;
  specialty?: string;
  families: readonly string[];
}

export interface Matrix {
  rows: readonly MatrixRow[];
  otherProfessions: readonly string[];
}

export interface AccessRules {
  families: FamilyTable;
  matrix: Matrix;
}

export const REIMBURSEMENT_FAMILY = 'reimbursement';

interface Coded {
  system: string;
  code: string;
  family: string;
}

function fail(file: string, message: string): never {
  throw new Error(`profiles/${file}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(file: string, value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail(file, `${what} must be a list of strings`);
  return value as string[];
}

export function tokenKey(system: string | undefined, code: string): string {
  return `${system ? canonicalSystem(system) : ''}|${code}`;
}

function codedTable(file: string, value: unknown, what: string, known: ReadonlySet<string>): Map<string, string> {
  if (!Array.isArray(value)) fail(file, `${what} must be a list`);
  const table = new Map<string, string>();
  for (const entry of value as Coded[]) {
    if (!isObject(entry) || typeof entry.system !== 'string' || typeof entry.code !== 'string') {
      fail(file, `each entry of ${what} needs a system and a code`);
    }
    if (entry.family !== undefined && !known.has(entry.family)) fail(file, `${what} ${entry.code}: unknown family "${entry.family}"`);
    const key = tokenKey(entry.system, entry.code);
    if (table.has(key)) fail(file, `${what} lists ${entry.system}|${entry.code} twice`);
    table.set(key, entry.family);
  }
  return table;
}

export function parseFamilyTable(json: unknown, file = 'document-families.json'): FamilyTable {
  if (!isObject(json) || !isObject(json.families)) fail(file, 'needs a "families" object (family → description)');
  const families = Object.keys(json.families);
  const known = new Set(families);
  const family = (value: unknown, what: string): string => {
    if (typeof value !== 'string' || !known.has(value)) fail(file, `${what} must name a family of "families", got ${JSON.stringify(value)}`);
    return value;
  };
  const holder = isObject(json.authoredByHolder) ? json.authoredByHolder : fail(file, 'needs "authoredByHolder"');
  const byResourceType = new Map<string, string>();
  for (const [type, value] of Object.entries(isObject(json.resourceTypes) ? json.resourceTypes : {})) {
    byResourceType.set(type, family(value, `resourceTypes.${type}`));
  }
  if (!known.has(REIMBURSEMENT_FAMILY)) fail(file, `the family "${REIMBURSEMENT_FAMILY}" is required (R8.6)`);
  return {
    families,
    defaultFamily: family(json.defaultFamily, 'defaultFamily'),
    byType: codedTable(file, json.documentTypes, 'documentTypes', known),
    byPracticeSetting: codedTable(file, json.practiceSettings ?? [], 'practiceSettings', known),
    reimbursementClasses: new Set(codedTable(file, json.reimbursementClasses ?? [], 'reimbursementClasses', known).keys()),
    holderFamily: family(holder.family, 'authoredByHolder.family'),
    keepTypeFamilies: new Set(stringList(file, holder.keepTypeFamilies ?? [], 'authoredByHolder.keepTypeFamilies').map((f) => family(f, 'keepTypeFamilies'))),
    byResourceType,
  };
}

export function parseMatrix(json: unknown, families: FamilyTable, file = 'habilitation-matrix.json'): Matrix {
  if (!isObject(json) || !Array.isArray(json.rows)) fail(file, 'needs a "rows" list');
  const known = new Set(families.families);
  const checked = (list: unknown, what: string): string[] => {
    const names = stringList(file, list, what);
    for (const name of names) if (!known.has(name)) fail(file, `${what}: unknown family "${name}"`);
    return names;
  };
  const seen = new Set<string>();
  const rows = (json.rows as unknown[]).map((row, i): MatrixRow => {
    if (!isObject(row) || typeof row.profession !== 'string') fail(file, `rows[${i}] needs a "profession" code`);
    if (row.specialty !== undefined && typeof row.specialty !== 'string') fail(file, `rows[${i}].specialty must be a code`);
    const key = `${row.profession}|${row.specialty ?? ''}`;
    if (seen.has(key)) fail(file, `rows[${i}] repeats profession ${row.profession}${row.specialty ? ` and specialty ${row.specialty}` : ''}`);
    seen.add(key);
    return {
      profession: row.profession,
      ...(typeof row.specialty === 'string' ? { specialty: row.specialty } : {}),
      families: checked(row.families, `rows[${i}].families`),
    };
  });
  const other = isObject(json.otherProfessions) ? json.otherProfessions.families : [];
  return { rows, otherProfessions: checked(other ?? [], 'otherProfessions.families') };
}

export function parseAccessRules(familiesJson: unknown, matrixJson: unknown): AccessRules {
  const families = parseFamilyTable(familiesJson);
  return { families, matrix: parseMatrix(matrixJson, families) };
}

let loaded: AccessRules | undefined;

/** The tables of `profiles/`, read and checked once per process (they change only with a restart, D24). */
export function loadAccessRules(): AccessRules {
  loaded ??= parseAccessRules(readProfile('document-families.json'), readProfile('habilitation-matrix.json'));
  return loaded;
}

/**
 * The families a professional may read (R4.2): the row of their profession and specialty, else of
 * their profession alone, else `otherProfessions`. No profession, no family.
 */
export function readableFamilies(rules: AccessRules, profession: string | undefined, specialty: string | undefined): readonly string[] {
  if (!profession) return [];
  const { rows, otherProfessions } = rules.matrix;
  const exact = specialty ? rows.find((r) => r.profession === profession && r.specialty === specialty) : undefined;
  const general = rows.find((r) => r.profession === profession && r.specialty === undefined);
  return (exact ?? general)?.families ?? otherProfessions;
}

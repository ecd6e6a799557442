import matrix from '../../../profiles/habilitation-matrix.json';

/**
 * The habilitation matrix (R4.2), imported at build time from the file the server enforces, so
 * that the table shown is the table applied. A row with a specialty wins over its profession's.
 */

export interface MatrixRow {
  profession?: string;
  specialty?: string;
  label: string;
  families: string[];
}

export const MATRIX_ROWS: MatrixRow[] = matrix.rows;
export const OTHER_PROFESSIONS: MatrixRow = matrix.otherProfessions;
export const MATRIX_DESCRIPTION: string = matrix.description;

/** The families a profession (and specialty) may read, as the server's matrix says. */
export function readableFamilies(profession: string | undefined, specialty: string | undefined): string[] {
  const rows = MATRIX_ROWS.filter((row) => row.profession === profession);
  const row = rows.find((r) => r.specialty !== undefined && r.specialty === specialty) ?? rows.find((r) => r.specialty === undefined);
  return (row ?? OTHER_PROFESSIONS).families;
}

import { useRef, useState, type KeyboardEvent } from 'react';
import { FAMILIES } from '../fhir/codes.js';
import { MATRIX_ROWS, OTHER_PROFESSIONS, type MatrixRow } from './matrix.js';

const ROWS: MatrixRow[] = [...MATRIX_ROWS, OTHER_PROFESSIONS];
const COLUMNS = FAMILIES.length + 1;

function rowCode(row: MatrixRow): string {
  if (!row.profession) return 'toute autre profession';
  return `TRE_G15 ${row.profession}${row.specialty ? `, TRE_R38 ${row.specialty}` : ''}`;
}

/**
 * The habilitation matrix (R4.2) as a grid: profession × family. One cell is in the tab order;
 * arrow keys, Home/End (row) and Ctrl+Home/Ctrl+End (table) move between cells.
 */
export function MatrixTable({ highlight }: { highlight?: MatrixRow }) {
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const table = useRef<HTMLTableElement>(null);

  const move = (event: KeyboardEvent<HTMLTableElement>) => {
    const [row, col] = active;
    const last = ROWS.length; // row 0 is the header row
    let next: [number, number] | undefined;
    switch (event.key) {
      case 'ArrowRight':
        next = [row, Math.min(col + 1, COLUMNS - 1)];
        break;
      case 'ArrowLeft':
        next = [row, Math.max(col - 1, 0)];
        break;
      case 'ArrowDown':
        next = [Math.min(row + 1, last), col];
        break;
      case 'ArrowUp':
        next = [Math.max(row - 1, 0), col];
        break;
      case 'Home':
        next = event.ctrlKey ? [0, 0] : [row, 0];
        break;
      case 'End':
        next = event.ctrlKey ? [last, COLUMNS - 1] : [row, COLUMNS - 1];
        break;
      default:
        return;
    }
    event.preventDefault();
    setActive(next);
    table.current?.querySelector<HTMLElement>(`[data-cell="${next[0]}-${next[1]}"]`)?.focus();
  };

  const cellProps = (row: number, col: number) => ({
    'data-cell': `${row}-${col}`,
    tabIndex: active[0] === row && active[1] === col ? 0 : -1,
    onFocus: () => setActive([row, col]),
  });

  return (
    <div className="table-scroll">
      <table ref={table} role="grid" className="matrix" aria-describedby="matrix-help" onKeyDown={move}>
        <caption>Familles de documents que chaque profession peut lire (R4.2)</caption>
        <thead>
          <tr>
            <th scope="col" {...cellProps(0, 0)}>
              Profession
            </th>
            {FAMILIES.map((family, i) => (
              <th key={family.code} scope="col" {...cellProps(0, i + 1)}>
                {family.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row, r) => {
            const mine = highlight === row;
            return (
              <tr key={`${row.profession ?? 'other'}-${row.specialty ?? ''}`} className={mine ? 'matrix-mine' : undefined}>
                <th scope="row" {...cellProps(r + 1, 0)}>
                  {row.label}
                  <span className="matrix-code"> ({rowCode(row)})</span>
                  {mine ? <strong className="matrix-you"> — votre profession</strong> : null}
                </th>
                {FAMILIES.map((family, i) => {
                  const allowed = row.families.includes(family.code);
                  return (
                    <td key={family.code} className={allowed ? 'allowed' : 'denied'} {...cellProps(r + 1, i + 1)}>
                      <span aria-hidden="true">{allowed ? '✓ ' : '✗ '}</span>
                      {allowed ? 'Oui' : 'Non'}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p id="matrix-help" className="hint">
        Tableau navigable au clavier : flèches pour passer d’une case à l’autre, Début et Fin pour aller au bout de la ligne,
        Ctrl+Début et Ctrl+Fin pour le début et la fin du tableau.
      </p>
    </div>
  );
}

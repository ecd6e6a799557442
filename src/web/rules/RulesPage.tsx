import { Page } from '../components/Page.js';
import { useSession } from '../session.js';
import { AccessExplorer } from './AccessExplorer.js';
import { FAMILIES } from '../fhir/codes.js';
import { MATRIX_ROWS, OTHER_PROFESSIONS } from './matrix.js';
import { MatrixTable } from './MatrixTable.js';

/** `#/regles`: the habilitation matrix the server enforces, and who can see one document and why (D28). */
export function RulesPage() {
  const { claims } = useSession();
  const rows = MATRIX_ROWS.filter((r) => r.profession === claims.profession);
  const mine = claims.profession
    ? (rows.find((r) => r.specialty !== undefined && r.specialty === claims.specialty) ?? rows.find((r) => r.specialty === undefined) ?? OTHER_PROFESSIONS)
    : undefined;
  return (
    <Page title="Explorateur des règles du DMP">
      <section aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">Matrice d’habilitation</h2>
        <p>
          Chaque document appartient à une famille, selon son type (R4.1). Un professionnel ne lit une famille que si la matrice la
          donne à sa profession, ou à sa profession et sa spécialité (R4.2) ; les autres familles lui sont invisibles. La matrice
          s’impose aussi aux médecins traitants DMP et aux accès en urgence (R4.4), pas au titulaire ni à ses représentants. Ce
          tableau est le fichier <code>profiles/habilitation-matrix.json</code> que le serveur applique.
        </p>
        <MatrixTable highlight={mine} />
        <h3>Les familles de documents</h3>
        <dl className="families">
          {FAMILIES.map((family) => (
            <div key={family.code}>
              <dt>{family.short}</dt>
              <dd>{family.description}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="access-heading">
        <h2 id="access-heading">Qui peut voir ce document, et par quelle règle ?</h2>
        <p>
          Le serveur rejoue pour chaque acteur la lecture du document par ses propres règles (opération{' '}
          <code>DocumentReference/[id]/$access</code>) : aucune seconde copie des règles dans cette page.
        </p>
        <AccessExplorer />
      </section>
    </Page>
  );
}

import { resourcesOf } from '../fhir/bundle.js';
import { CONSENT_CATEGORY_SYSTEM, formatDate } from '../fhir/codes.js';
import { useFhir } from '../fhir/use-fhir.js';

const CLOSURE_REASON = 'https://dmp-fhir-server.example/StructureDefinition/dmp-closure-reason';
const REASONS: Record<string, string> = { 'holder-request': 'à la demande du titulaire', death: 'à la suite du décès du titulaire' };

/** R2.1, R9.2: says when the DMP is not open (read-only for the holder, closed to professionals). */
export function DmpStatus({ holder }: { holder: string }) {
  const category = encodeURIComponent(`${CONSENT_CATEGORY_SYSTEM}|dmp-creation`);
  const { data } = useFhir<fhir4.Bundle>(`Consent?patient=${holder}&category=${category}&_count=50`);
  if (!data) return null;
  const consents = resourcesOf<fhir4.Consent>(data, 'Consent');
  if (consents.some((c) => c.status === 'active')) return null;
  const closed = consents.find((c) => c.status === 'inactive');
  const reason = closed?.extension?.find((e) => e.url === CLOSURE_REASON)?.valueCode;
  return (
    <p className="warning" role="status">
      {closed
        ? `Ce DMP est fermé depuis le ${formatDate(closed.provision?.period?.end)}${reason && REASONS[reason] ? `, ${REASONS[reason]}` : ''} : il reste consultable et téléchargeable, mais plus rien n’y est ajouté ni modifié, et les professionnels n’y ont plus accès (R9.2).`
        : 'Aucun DMP n’est ouvert pour cette personne (R2.1).'}
    </p>
  );
}

import type { Claims } from '../session.js';
import { professionLabel, specialtyLabel } from '../fhir/codes.js';

const ROLE_NAMES: Record<string, string> = {
  professional: 'Professionnel de santé',
  regulator: 'Médecin régulateur SAMU-Centre 15',
  delegate: 'Délégué (secrétariat)',
  reception: 'Accueil d’une structure de soins',
  'insurer-agent': 'Agent de l’Assurance Maladie',
};

/** Who the token says the caller is: role, profession, specialty, RPPS and care structure (R1.2). */
export function IdentitySummary({ claims }: { claims: Claims }) {
  const specialty = specialtyLabel(claims.specialty);
  const organization = typeof claims.organization === 'string' ? claims.organization : undefined;
  return (
    <dl className="identity-summary" aria-label="Votre identité selon votre jeton">
      <div>
        <dt>Rôle</dt>
        <dd>{ROLE_NAMES[claims.role ?? ''] ?? claims.role ?? 'inconnu'}</dd>
      </div>
      {claims.profession ? (
        <div>
          <dt>{claims.role === 'delegate' ? 'Profession du professionnel représenté' : 'Profession'}</dt>
          <dd>
            {professionLabel(claims.profession)}
            {specialty ? ` (${specialty})` : ''}
          </dd>
        </div>
      ) : null}
      {claims.rpps ? (
        <div>
          <dt>{claims.role === 'delegate' ? 'RPPS du professionnel représenté' : 'RPPS'}</dt>
          <dd>{claims.rpps}</dd>
        </div>
      ) : null}
      {organization ? (
        <div>
          <dt>Structure (FINESS)</dt>
          <dd>{organization}</dd>
        </div>
      ) : null}
    </dl>
  );
}

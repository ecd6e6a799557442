import { FhirError } from '../api.js';

const STATUS_MEANING: Record<number, string> = {
  0: 'Le serveur ne répond pas.',
  400: 'Requête invalide.',
  401: 'Vous n’êtes pas connecté, ou votre jeton a expiré : reconnectez-vous.',
  403: 'Accès refusé par les règles du DMP.',
  404: 'Introuvable, ou vous n’avez pas le droit de le voir.',
  409: 'Opération impossible dans l’état actuel du dossier.',
  410: 'Cette ressource a été supprimée.',
  412: 'La ressource a changé entre-temps : rechargez la page.',
  413: 'Contenu trop volumineux.',
  415: 'Format non pris en charge.',
  422: 'Modification refusée par les règles du DMP.',
  429: 'Trop de requêtes : réessayez dans un instant.',
  500: 'Erreur interne du serveur.',
  503: 'Service momentanément indisponible.',
};

function meaning(status: number): string {
  return STATUS_MEANING[status] ?? (status >= 500 ? 'Erreur du serveur.' : 'La requête a échoué.');
}

/** A readable French message for an error of the API (status meaning, diagnostics, issue code), or any other error. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  if (error instanceof FhirError) {
    const issues = error.outcome?.issue ?? [];
    return (
      <div className="error" role="alert">
        <p>
          <strong>{error.status ? `Erreur ${error.status} : ` : 'Erreur : '}</strong>
          {meaning(error.status)}
        </p>
        {issues.length > 0 ? (
          <ul>
            {issues.map((issue, i) => {
              const code = issue.details?.coding?.[0]?.code;
              return (
                <li key={i}>
                  {/* the server writes its diagnostics in English (WCAG 3.1.2, language of parts) */}
                  {issue.diagnostics ? <span lang="en">{issue.diagnostics}</span> : (issue.details?.text ?? 'Sans détail.')}{' '}
                  <span className="error-code">
                    (code : {issue.code}
                    {code ? `, ${code}` : ''})
                  </span>
                </li>
              );
            })}
          </ul>
        ) : error.status === 0 ? (
          <p>{error.message}</p>
        ) : null}
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      <p>
        <strong>Erreur : </strong>
        {message}
      </p>
    </div>
  );
}

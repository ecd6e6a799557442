import { useEffect, useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { fhirGet } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useSession } from '../session.js';
import { PARTY_ROLES, RPPS_SYSTEM, documentTitle, formatDate, professionLabel, ruleMeaning } from '../fhir/codes.js';

interface Party {
  reference?: string;
  system?: string;
  value?: string;
  canSee: boolean;
  rule: string;
  roles: string[];
  profession?: string;
  professionAssumed: boolean;
}

/** The `party` parameters of a D28 `$access` answer. */
export function partiesOf(parameters: fhir4.Parameters): Party[] {
  return (parameters.parameter ?? [])
    .filter((p) => p.name === 'party')
    .map((p) => {
      const parts = p.part ?? [];
      const who = parts.find((x) => x.name === 'who')?.valueReference;
      return {
        reference: who?.reference,
        system: who?.identifier?.system,
        value: who?.identifier?.value,
        canSee: parts.find((x) => x.name === 'canSee')?.valueBoolean === true,
        rule: parts.find((x) => x.name === 'rule')?.valueString ?? '?',
        roles: parts.filter((x) => x.name === 'role').map((x) => x.valueCode ?? ''),
        profession: parts.find((x) => x.name === 'profession')?.valueCoding?.code,
        professionAssumed: parts.some((x) => x.name === 'professionAssumed' && x.valueBoolean === true),
      };
    });
}

function nameOf(resource: fhir4.Practitioner | fhir4.Organization): string | undefined {
  if (resource.resourceType === 'Organization') return resource.name;
  const name = resource.name?.[0];
  return name ? (name.text ?? [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ')) : undefined;
}

/** The holder whose documents the signed-in holder or representative can pick from. */
async function holderOf(fhirUser: string): Promise<string | undefined> {
  if (fhirUser.startsWith('Patient/')) return fhirUser;
  if (!fhirUser.startsWith('RelatedPerson/')) return undefined;
  return (await fhirGet<fhir4.RelatedPerson>(fhirUser)).patient?.reference;
}

/**
 * D28: "who can see this document, and by which rule", answered by the server's
 * `DocumentReference/[id]/$access` (which runs the very read pipeline for each party). Open to the
 * holder, representatives and the administrator; the server's 403 or 404 is shown as it comes.
 */
export function AccessExplorer() {
  const { token, claims } = useSession();
  const [params, setParams] = useSearchParams();
  const documentId = params.get('document') ?? '';
  const asked = params.get('practitioner') ?? '';
  const [typedId, setTypedId] = useState(documentId);
  const [typedRpps, setTypedRpps] = useState(asked);
  const [choices, setChoices] = useState<fhir4.DocumentReference[]>();
  const [choicesError, setChoicesError] = useState<unknown>();
  const [answer, setAnswer] = useState<{ parties: Party[]; names: Record<string, string>; title?: string }>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const ids = { document: useId(), rpps: useId(), rppsHint: useId() };
  const holderSide = claims.role === 'patient' || claims.role === 'legal-representative';

  useEffect(() => {
    if (!token || !holderSide || typeof claims.fhirUser !== 'string') return;
    let cancelled = false;
    (async () => {
      const holder = await holderOf(claims.fhirUser!);
      if (!holder) return [];
      const bundle = await fhirGet<fhir4.Bundle>(`DocumentReference?patient=${encodeURIComponent(holder)}&status=current,superseded&_count=100`);
      return (bundle.entry ?? []).map((e) => e.resource as fhir4.DocumentReference).filter((d) => d?.resourceType === 'DocumentReference');
    })().then(
      (docs) => {
        if (!cancelled) setChoices(docs);
      },
      (err: unknown) => {
        if (!cancelled) setChoicesError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [token, holderSide, claims.fhirUser]);

  useEffect(() => {
    setTypedId(documentId);
    setTypedRpps(asked);
    setAnswer(undefined);
    setError(undefined);
    if (!documentId || !token) return;
    let cancelled = false;
    setLoading(true);
    (async () => {
      const query = asked ? `?practitioner=${encodeURIComponent(asked)}` : '';
      const parameters = await fhirGet<fhir4.Parameters>(`DocumentReference/${encodeURIComponent(documentId)}/$access${query}`);
      const parties = partiesOf(parameters);
      // Names from the directory, when the caller may read it; the RPPS or FINESS stays shown anyway.
      const names: Record<string, string> = {};
      await Promise.all(
        [...new Set(parties.map((p) => p.reference).filter((r): r is string => !!r))].map(async (reference) => {
          try {
            const name = nameOf(await fhirGet<fhir4.Practitioner | fhir4.Organization>(reference));
            if (name) names[reference] = name;
          } catch {
            // not readable by this caller: the identifier is enough
          }
        }),
      );
      let title: string | undefined;
      if (holderSide) {
        try {
          title = documentTitle(await fhirGet<fhir4.DocumentReference>(`DocumentReference/${encodeURIComponent(documentId)}`));
        } catch {
          // the $access answer already says what the caller may know
        }
      }
      return { parties, names, title };
    })().then(
      (result) => {
        if (!cancelled) setAnswer(result);
      },
      (err: unknown) => {
        if (!cancelled) setError(err);
      },
    ).finally(() => {
      if (!cancelled) setLoading(false);
    });
    return () => {
      cancelled = true;
    };
  }, [documentId, asked, token, holderSide]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = typedId.trim().replace(/^DocumentReference\//, '');
    if (!id) {
      setError(new Error('choisissez ou saisissez un document'));
      return;
    }
    setParams({ document: id, ...(typedRpps.trim() ? { practitioner: typedRpps.trim() } : {}) });
  };

  if (!token) {
    return (
      <p className="notice">
        Connectez-vous (titulaire, représentant légal ou administrateur) pour demander au serveur qui peut voir un document.
      </p>
    );
  }

  return (
    <>
      {claims.role !== 'admin' && !holderSide ? (
        <p className="notice">
          Cette question est réservée au titulaire, à ses représentants légaux et à l’administrateur (D28) : le serveur vous
          répondra par un refus.
        </p>
      ) : null}
      <form className="inline-form" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.document}>{holderSide && choices ? 'Document' : 'Identifiant du document (DocumentReference)'}</label>
          {holderSide && choices ? (
            <select id={ids.document} value={typedId} onChange={(e) => setTypedId(e.target.value)}>
              <option value="">— choisir un document —</option>
              {choices.map((doc) => (
                <option key={doc.id} value={doc.id}>
                  {documentTitle(doc)} ({formatDate(doc.date)})
                </option>
              ))}
            </select>
          ) : (
            <input id={ids.document} type="text" autoComplete="off" value={typedId} onChange={(e) => setTypedId(e.target.value)} />
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.rpps}>RPPS de professionnels à tester (facultatif)</label>
          <input id={ids.rpps} type="text" inputMode="numeric" aria-describedby={ids.rppsHint} value={typedRpps} onChange={(e) => setTypedRpps(e.target.value)} />
          <p id={ids.rppsHint} className="hint">
            Vide : les professionnels et structures cités dans les choix du titulaire, et l’auteur. Plusieurs RPPS : séparés par des
            virgules.
          </p>
        </div>
        <button type="submit">Qui peut voir ce document ?</button>
      </form>
      <ErrorMessage error={choicesError} />
      <ErrorMessage error={error} />
      {loading ? <p role="status">Interrogation du serveur…</p> : null}
      {answer ? (
        answer.parties.length === 0 ? (
          <p className="notice" role="status">
            Aucun professionnel ni structure n’est cité pour ce document.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="access-report">
              <caption>
                Qui peut voir {answer.title ? `« ${answer.title} »` : `le document ${documentId}`}, et par quelle règle
              </caption>
              <thead>
                <tr>
                  <th scope="col">Acteur</th>
                  <th scope="col">Cité comme</th>
                  <th scope="col">Profession évaluée</th>
                  <th scope="col">Peut voir</th>
                  <th scope="col">Règle</th>
                  <th scope="col">Signification</th>
                </tr>
              </thead>
              <tbody>
                {answer.parties.map((party, i) => {
                  const kind = party.system === RPPS_SYSTEM ? 'RPPS' : 'FINESS';
                  const name = party.reference ? answer.names[party.reference] : undefined;
                  return (
                    <tr key={i} className={party.canSee ? 'can-see' : 'cannot-see'}>
                      <th scope="row">
                        {name ?? (kind === 'RPPS' ? 'Professionnel' : 'Structure de soins')}
                        <span className="matrix-code">
                          {' '}
                          ({kind} {party.value})
                        </span>
                      </th>
                      <td>{party.roles.map((r) => PARTY_ROLES[r] ?? r).join(', ')}</td>
                      <td>
                        {party.profession ? professionLabel(party.profession) : '—'}
                        {party.professionAssumed ? ' (supposée : absent de l’annuaire, ou structure)' : ''}
                      </td>
                      <td>
                        <span aria-hidden="true">{party.canSee ? '✓ ' : '✗ '}</span>
                        {party.canSee ? 'Oui' : 'Non'}
                      </td>
                      <td>
                        <code>{party.rule}</code>
                      </td>
                      <td>{ruleMeaning(party.rule)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}

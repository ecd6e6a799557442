import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { fhirSend } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { resourcesOf } from '../fhir/bundle.js';
import { CONSENT_CATEGORY_SYSTEM } from '../fhir/codes.js';
import { useOrganizations, usePractitioners, type PractitionerInfo } from '../fhir/practitioners.js';
import { useFhir } from '../fhir/use-fhir.js';
import { choicesOf, consentWith, type AccessChoices } from './access-choices.js';
import { useHolder } from './holder.js';

type ListKey = 'gp' | 'permit' | 'structures' | 'blocked';

const LISTS: Array<{ key: ListKey; title: string; help: string; field: string; pattern: RegExp; add: string }> = [
  { key: 'gp', title: 'Médecins traitants DMP', help: 'Ils voient tous les documents que la matrice ouvre aux médecins, même masqués (R3.3).', field: 'RPPS du médecin traitant', pattern: /^\d{11}$/, add: 'Ajouter ce médecin traitant' },
  { key: 'permit', title: 'Professionnels autorisés', help: 'Ils accèdent à votre DMP selon leur profession (R3.1, R4.2).', field: 'RPPS du professionnel à autoriser', pattern: /^\d{11}$/, add: 'Autoriser ce professionnel' },
  { key: 'structures', title: 'Établissements autorisés', help: 'Toute l’équipe de soins de l’établissement (R3.2).', field: 'FINESS de l’établissement', pattern: /^\d{9}$/, add: 'Autoriser cet établissement' },
  { key: 'blocked', title: 'Professionnels bloqués', help: 'Un professionnel bloqué ne voit rien, même en urgence (R3.4).', field: 'RPPS du professionnel à bloquer', pattern: /^\d{11}$/, add: 'Bloquer ce professionnel' },
];

interface Directory {
  practitioners: Map<string, PractitionerInfo>;
  organizations: Map<string, string>;
}

function who(id: string, directory: Directory): string {
  const info = directory.practitioners.get(id);
  if (info) return `${info.name}${info.profession ? `, ${info.profession}` : ''} (RPPS ${id})`;
  const structure = directory.organizations.get(id);
  return structure ? `${structure} (FINESS ${id})` : id;
}

function ChoiceList({ spec, values, directory, busy, onChange }: { spec: (typeof LISTS)[number]; values: string[]; directory: Directory; busy: boolean; onChange(next: string[]): void }) {
  const fieldId = useId();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const id = value.trim();
    if (!spec.pattern.test(id)) return setInvalid(true);
    setInvalid(false);
    setValue('');
    if (!values.includes(id)) onChange([...values, id]);
  };
  return (
    <section className="panel" aria-labelledby={`${fieldId}-h`}>
      <h3 id={`${fieldId}-h`}>{spec.title}</h3>
      <p className="hint">{spec.help}</p>
      <ul>
        {values.map((id) => (
          <li key={id}>
            {who(id, directory)}{' '}
            <button type="button" className="link" aria-disabled={busy} onClick={() => onChange(values.filter((v) => v !== id))}>
              Retirer <span className="visually-hidden">{who(id, directory)} de la liste « {spec.title} »</span>
            </button>
          </li>
        ))}
        {values.length === 0 ? <li>Aucun.</li> : null}
      </ul>
      <form onSubmit={add} className="row">
        <label htmlFor={fieldId}>{spec.field}</label>
        <input id={fieldId} type="text" inputMode="numeric" value={value} aria-invalid={invalid} aria-describedby={invalid ? `${fieldId}-err` : undefined} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" aria-disabled={busy}>
          {spec.add}
        </button>
        {invalid ? (
          <span id={`${fieldId}-err`} className="error-code" role="alert">
            {spec.key === 'structures' ? 'Un FINESS a 9 chiffres.' : 'Un RPPS a 11 chiffres.'}
          </span>
        ) : null}
      </form>
    </section>
  );
}

/** Section 3: the holder's authorisations, one dmp-access Consent saved at each change (it applies from the next request, R3.6). */
export function AuthorisationsPage() {
  const { reference } = useHolder();
  const practitioners = usePractitioners();
  const organizations = useOrganizations();
  const directory = { practitioners, organizations };
  const search = useFhir<fhir4.Bundle>(`Consent?patient=${reference}&category=${encodeURIComponent(`${CONSENT_CATEGORY_SYSTEM}|dmp-access`)}&status=active`);
  const consent = resourcesOf<fhir4.Consent>(search.data, 'Consent')[0];
  const [choices, setChoices] = useState<AccessChoices>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const oppositionId = useId();
  // the Consent the next change is based on: the one read, or the one the last save returned (a
  // second change made before the list is read again must not carry the previous version)
  const latest = useRef<fhir4.Consent | undefined>(undefined);
  useEffect(() => {
    latest.current = consent;
    setChoices(choicesOf(consent));
  }, [consent]);

  // controls stay focusable while a choice is saved (aria-disabled, not disabled): a keyboard user keeps their place
  const save = async (next: AccessChoices) => {
    if (busy) return;
    const before = choices;
    setChoices(next); // shown at once; put back if the server refuses
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const base = latest.current;
      const resource = consentWith(base, reference, next);
      const prefer = { prefer: 'return=representation' };
      const version = base?.meta?.versionId;
      const written = base?.id
        ? await fhirSend<fhir4.Consent>('PUT', `Consent/${base.id}`, resource, version ? { ...prefer, 'if-match': `W/"${version}"` } : prefer)
        : await fhirSend<fhir4.Consent>('POST', 'Consent', resource, prefer);
      if (written?.resourceType === 'Consent') latest.current = written;
      setSaved(true);
      search.reload();
    } catch (err) {
      setChoices(before);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (search.error) return <ErrorMessage error={search.error} />;
  if (!search.data || !choices) return <p aria-live="polite">Chargement des autorisations…</p>;
  return (
    <section aria-labelledby="auth-heading">
      <h2 id="auth-heading">Autorisations</h2>
      <ErrorMessage error={error} />
      {saved ? (
        <p className="notice" role="status">
          Vos choix sont enregistrés ; ils s’appliquent dès la prochaine requête.
        </p>
      ) : null}
      {LISTS.map((spec) => (
        <ChoiceList key={spec.key} spec={spec} values={choices[spec.key]} directory={directory} busy={busy} onChange={(values) => void save({ ...choices, [spec.key]: values })} />
      ))}
      <section className="panel" aria-labelledby={`${oppositionId}-h`}>
        <h3 id={`${oppositionId}-h`}>Accès en urgence</h3>
        <label className="inline-label" htmlFor={oppositionId}>
          <input id={oppositionId} type="checkbox" checked={choices.opposed} aria-disabled={busy} onChange={(e) => void save({ ...choices, opposed: e.target.checked })} />
          Je m’oppose à l’accès en urgence (bris de glace et SAMU-Centre 15) à mon DMP
        </label>
        <p className="hint">Opposé, aucun professionnel ne peut accéder à votre DMP en urgence sans autorisation (R3.5).</p>
      </section>
    </section>
  );
}

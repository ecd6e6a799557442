import { useId, useState, type FormEvent } from 'react';
import { fhirSend } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { resourcesOf } from '../fhir/bundle.js';
import { CONTACT_ROLE_SYSTEM, RELATIONSHIP_SYSTEM, TRE_A05, familyOf, humanName } from '../fhir/codes.js';
import { useFhir } from '../fhir/use-fhir.js';
import { DocumentItem } from './DocumentItem.js';
import { useHolder } from './holder.js';
import { holderDocument, textToBase64 } from './new-document.js';

const KINDS = {
  emergency: { coding: { system: CONTACT_ROLE_SYSTEM, code: 'C', display: 'Contact d’urgence' }, label: 'Contact d’urgence' },
  trusted: { coding: { system: RELATIONSHIP_SYSTEM, code: 'trusted-person', display: 'Personne de confiance' }, label: 'Personne de confiance' },
} as const;

const WISHES = {
  EXPPAT_3: 'Directives anticipées',
  EXPPAT_1: 'Volontés et droits du patient, don d’organes',
} as const;

function kindOf(person: fhir4.RelatedPerson): string {
  const codes = (person.relationship ?? []).flatMap((r) => r.coding ?? []);
  if (codes.some((c) => c.system === RELATIONSHIP_SYSTEM && c.code === 'trusted-person')) return KINDS.trusted.label;
  if (codes.some((c) => c.system === CONTACT_ROLE_SYSTEM && c.code === 'C')) return KINDS.emergency.label;
  if (codes.some((c) => c.code === 'PRN' || c.code === 'GUARD')) return 'Représentant légal';
  return codes[0]?.display ?? 'Proche';
}

/**
 * R7.2: emergency contacts and trusted person (RelatedPerson), advance directives and organ
 * donation wishes (documents of the `wishes` family, TRE_A05 EXPPAT_3 and EXPPAT_1).
 */
export function WishesPage() {
  const { reference } = useHolder();
  const people = useFhir<fhir4.Bundle>(`RelatedPerson?patient=${reference}&_count=100`);
  const docs = useFhir<fhir4.Bundle>(`DocumentReference?patient=${reference}&_count=200&_sort=-date`);
  const ids = { kind: useId(), given: useId(), family: useId(), phone: useId(), wishType: useId(), wishTitle: useId(), wishText: useId() };
  const [person, setPerson] = useState({ kind: 'emergency' as keyof typeof KINDS, given: '', family: '', phone: '' });
  const [wish, setWish] = useState({ type: 'EXPPAT_3' as keyof typeof WISHES, title: '', text: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  // the buttons stay focusable while busy (aria-disabled): a keyboard user keeps their place
  const run = async (action: () => Promise<unknown>, after: () => void) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
      after();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const addPerson = (event: FormEvent) => {
    event.preventDefault();
    const resource: fhir4.RelatedPerson = {
      resourceType: 'RelatedPerson',
      patient: { reference },
      relationship: [{ coding: [KINDS[person.kind].coding], text: KINDS[person.kind].label }],
      name: [{ family: person.family.trim(), given: [person.given.trim()] }],
      ...(person.phone.trim() ? { telecom: [{ system: 'phone', value: person.phone.trim() }] } : {}),
    };
    void run(() => fhirSend('POST', 'RelatedPerson', resource), () => {
      setPerson({ ...person, given: '', family: '', phone: '' });
      people.reload();
    });
  };

  const addWish = (event: FormEvent) => {
    event.preventDefault();
    const document = holderDocument({
      holder: reference, typeCode: wish.type, typeDisplay: WISHES[wish.type], title: wish.title.trim() || WISHES[wish.type],
      contentType: 'text/plain; charset=utf-8', data: textToBase64(wish.text),
    });
    void run(() => fhirSend('POST', 'DocumentReference', { ...document, type: { coding: [{ system: TRE_A05, code: wish.type, display: WISHES[wish.type] }] } }), () => {
      setWish({ ...wish, title: '', text: '' });
      docs.reload();
    });
  };

  const relatives = resourcesOf<fhir4.RelatedPerson>(people.data, 'RelatedPerson');
  const wishes = resourcesOf<fhir4.DocumentReference>(docs.data, 'DocumentReference').filter((d) => familyOf(d) === 'wishes');
  return (
    <section aria-labelledby="wishes-heading">
      <h2 id="wishes-heading">Proches et volontés</h2>
      <ErrorMessage error={error ?? people.error ?? docs.error} />
      <h3>Contacts d’urgence et personne de confiance</h3>
      <table>
        <caption className="visually-hidden">Proches enregistrés</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Rôle</th>
            <th scope="col">Téléphone</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {relatives.map((r) => {
            const kind = kindOf(r);
            const name = humanName(r.name);
            return (
              <tr key={r.id}>
                <td>{name}</td>
                <td>{kind}</td>
                <td>{r.telecom?.find((t) => t.system === 'phone')?.value ?? '—'}</td>
                <td>
                  {kind === 'Représentant légal' ? (
                    <span className="hint">Enregistré par l’accueil ou un professionnel</span>
                  ) : (
                    <button type="button" className="danger" aria-disabled={busy} onClick={() => void run(() => fhirSend('DELETE', `RelatedPerson/${r.id}`), people.reload)}>
                      Retirer <span className="visually-hidden">{name}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
          {relatives.length === 0 ? (
            <tr>
              <td colSpan={4}>Aucun proche enregistré.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <form className="panel" onSubmit={addPerson}>
        <h4>Ajouter un proche</h4>
        <label htmlFor={ids.kind}>Rôle</label>
        <select id={ids.kind} value={person.kind} onChange={(e) => setPerson({ ...person, kind: e.target.value as keyof typeof KINDS })}>
          <option value="emergency">{KINDS.emergency.label}</option>
          <option value="trusted">{KINDS.trusted.label}</option>
        </select>
        <label htmlFor={ids.given}>Prénom</label>
        <input id={ids.given} type="text" required value={person.given} onChange={(e) => setPerson({ ...person, given: e.target.value })} />
        <label htmlFor={ids.family}>Nom</label>
        <input id={ids.family} type="text" required value={person.family} onChange={(e) => setPerson({ ...person, family: e.target.value })} />
        <label htmlFor={ids.phone}>Téléphone</label>
        <input id={ids.phone} type="tel" value={person.phone} onChange={(e) => setPerson({ ...person, phone: e.target.value })} />
        <p>
          <button type="submit" aria-disabled={busy}>
            Ajouter ce proche
          </button>
        </p>
      </form>
      <h3>Directives anticipées et don d’organes</h3>
      <ul className="documents">
        {wishes.map((doc) => (
          <DocumentItem key={doc.id} doc={doc} onChanged={docs.reload} />
        ))}
      </ul>
      {wishes.length === 0 ? <p>Aucune volonté enregistrée.</p> : null}
      <form className="panel" onSubmit={addWish}>
        <h4>Exprimer une volonté</h4>
        <label htmlFor={ids.wishType}>Type</label>
        <select id={ids.wishType} value={wish.type} onChange={(e) => setWish({ ...wish, type: e.target.value as keyof typeof WISHES })}>
          <option value="EXPPAT_3">{WISHES.EXPPAT_3}</option>
          <option value="EXPPAT_1">{WISHES.EXPPAT_1}</option>
        </select>
        <label htmlFor={ids.wishTitle}>Titre</label>
        <input id={ids.wishTitle} type="text" value={wish.title} onChange={(e) => setWish({ ...wish, title: e.target.value })} />
        <label htmlFor={ids.wishText}>Texte</label>
        <textarea id={ids.wishText} rows={5} required value={wish.text} onChange={(e) => setWish({ ...wish, text: e.target.value })} />
        <p>
          <button type="submit" aria-disabled={busy}>
            Enregistrer cette volonté
          </button>
        </p>
      </form>
    </section>
  );
}

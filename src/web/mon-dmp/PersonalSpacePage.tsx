import { useId, useState, type FormEvent } from 'react';
import { fhirSend } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { resourcesOf } from '../fhir/bundle.js';
import { familyOf } from '../fhir/codes.js';
import { useFhir } from '../fhir/use-fhir.js';
import { DocumentItem } from './DocumentItem.js';
import { useHolder } from './holder.js';
import { fileToBase64, holderDocument, textToBase64 } from './new-document.js';

/** R7.2: the holder's personal space — a text note or a file, authored by the holder (or the rep). */
export function PersonalSpacePage() {
  const { reference } = useHolder();
  const docs = useFhir<fhir4.Bundle>(`DocumentReference?patient=${reference}&_count=200&_sort=-date`);
  const ids = { title: useId(), text: useId(), file: useId(), masked: useId() };
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [masked, setMasked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    setDone(undefined);
    if (!title.trim()) return setError(new Error('donnez un titre au document'));
    if (!file && !text.trim()) return setError(new Error('écrivez une note ou choisissez un fichier'));
    setBusy(true);
    try {
      const content = file
        ? { contentType: file.type || 'application/octet-stream', data: await fileToBase64(file) }
        : { contentType: 'text/plain; charset=utf-8', data: textToBase64(text) };
      await fhirSend('POST', 'DocumentReference', holderDocument({ holder: reference, typeCode: 'DOCPAT01', typeDisplay: 'Document du patient', title: title.trim(), masked, ...content }));
      setDone(`« ${title.trim()} » a été ajouté à votre espace personnel.`);
      setTitle('');
      setText('');
      setFile(null);
      setMasked(false);
      (event.target as HTMLFormElement).reset();
      docs.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const personal = resourcesOf<fhir4.DocumentReference>(docs.data, 'DocumentReference').filter((d) => familyOf(d) === 'personal');
  return (
    <section aria-labelledby="personal-heading">
      <h2 id="personal-heading">Espace personnel</h2>
      <form onSubmit={(e) => void submit(e)} className="panel">
        <h3>Ajouter un document</h3>
        <label htmlFor={ids.title}>Titre du document</label>
        <input id={ids.title} type="text" value={title} onChange={(e) => setTitle(e.target.value)} required />
        <label htmlFor={ids.text}>Note (texte)</label>
        <textarea id={ids.text} rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        <label htmlFor={ids.file}>Ou un fichier (PDF, image, texte)</label>
        <input id={ids.file} type="file" accept="application/pdf,image/*,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <p>
          <label className="inline-label" htmlFor={ids.masked}>
            <input id={ids.masked} type="checkbox" checked={masked} onChange={(e) => setMasked(e.target.checked)} />
            Masquer ce document aux professionnels
          </label>
        </p>
        <button type="submit" aria-disabled={busy}>
          Ajouter à mon espace personnel
        </button>
        <ErrorMessage error={error} />
        {done ? (
          <p className="notice" role="status">
            {done}
          </p>
        ) : null}
      </form>
      <h3>Mes documents personnels ({personal.length})</h3>
      <ErrorMessage error={docs.error} />
      <ul className="documents">
        {personal.map((doc) => (
          <DocumentItem key={doc.id} doc={doc} onChanged={docs.reload} />
        ))}
      </ul>
    </section>
  );
}

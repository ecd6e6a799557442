import { useId, useRef, useState, type FormEvent } from 'react';
import { fhirSend } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useSession } from '../session.js';
import { DOCUMENT_TYPES, FAMILIES, VISIBILITY_LABELS, familyShort, type DocumentType } from '../fhir/codes.js';
import { readableFamilies } from '../rules/matrix.js';
import { bytesToBase64 } from './content.js';
import { createdReference, provideDocumentBundle } from './provide-bundle.js';

/**
 * Families a professional deposits: every one but the holder's personal space (R7.2) and the
 * insurer's reimbursement history (R8.5). Reading them back is another matter (R4.5).
 */
const NOT_DEPOSITED = new Set(['personal', 'reimbursement']);
const DEPOSIT_FAMILIES = FAMILIES.filter((f) => !NOT_DEPOSITED.has(f.code));
const VSM = '60591-5';
const DEFAULT_TYPE = '11488-4';

const keyOf = (t: DocumentType) => `${t.system}|${t.code}`;

/** What the deposit needs to say about the chosen type before it is sent. */
function typeNotes(type: DocumentType, readable: string[]): string[] {
  const notes: string[] = [];
  if (type.code === VSM) notes.push('R8.4 : seul un médecin traitant DMP du patient dépose le volet de synthèse médicale.');
  if (!readable.includes(type.family)) {
    notes.push(`R4.5 : vous pouvez déposer ce document, mais la matrice ne donne pas la famille « ${familyShort(type.family)} » à votre profession : vous ne pourrez pas le relire.`);
  }
  return notes;
}

export interface DepositPatient {
  /** `Patient/<id>`. */
  reference: string;
  label: string;
}

/**
 * Deposit one file as an IHE MHD ITI-65 Provide Document Bundle posted to `/fhir`. A professional
 * deposits into the patient found by INS; a delegate, who may not search (R8.2), names the
 * patient resource the practice software knows.
 */
export function DepositForm({ patient, onDeposited }: { patient?: DepositPatient; onDeposited?: (reference: string) => void }) {
  // a section of the patient's file, or the page's one section for a delegate
  const Heading = patient ? 'h3' : 'h2';
  const { claims } = useSession();
  const delegate = claims.role === 'delegate';
  const readable = readableFamilies(claims.profession, claims.specialty);
  const [typeKey, setTypeKey] = useState(keyOf(DOCUMENT_TYPES.find((t) => t.code === DEFAULT_TYPE) ?? DOCUMENT_TYPES[0]!));
  const [title, setTitle] = useState('');
  const [patientId, setPatientId] = useState('');
  const [labels, setLabels] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const ids = { heading: useId(), type: useId(), title: useId(), file: useId(), patient: useId(), patientHint: useId(), notes: useId() };
  const type = DOCUMENT_TYPES.find((t) => keyOf(t) === typeKey)!;
  const notes = typeNotes(type, readable);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    setDone(undefined);
    const chosen = file.current?.files?.[0];
    const reference = patient?.reference ?? (patientId.trim() ? `Patient/${patientId.trim().replace(/^Patient\//, '')}` : '');
    const problems = [
      ...(reference ? [] : ['indiquez l’identifiant du patient']),
      ...(/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(reference) || !reference ? [] : ['l’identifiant du patient ne contient que des lettres, chiffres, tirets et points (64 au plus)']),
      ...(title.trim() ? [] : ['indiquez le titre du document']),
      ...(chosen ? [] : ['choisissez le fichier à déposer']),
      ...(chosen && chosen.size === 0 ? ['le fichier choisi est vide'] : []),
    ];
    if (problems.length) {
      setError(new Error(problems.join(' ; ')));
      return;
    }
    setBusy(true);
    try {
      const bytes = new Uint8Array(await chosen!.arrayBuffer());
      const bundle = provideDocumentBundle({
        patient: reference,
        type,
        title: title.trim(),
        fileName: chosen!.name,
        contentType: chosen!.type || 'application/octet-stream',
        data: bytesToBase64(bytes),
        size: bytes.length,
        labels,
      });
      const response = await fhirSend<fhir4.Bundle>('POST', '', bundle);
      const created = createdReference(response, 'DocumentReference') ?? 'DocumentReference';
      setDone(created);
      setTitle('');
      setLabels([]);
      if (file.current) file.current.value = '';
      onDeposited?.(created);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (code: string, on: boolean) => setLabels((current) => (on ? [...current, code] : current.filter((c) => c !== code)));

  return (
    <section className="deposit" aria-labelledby={ids.heading}>
      <Heading id={ids.heading}>Déposer un document</Heading>
      <p className="hint">
        {patient ? `Dans le dossier de ${patient.label}. ` : ''}
        Envoyé en une transaction IHE MHD ITI-65 ; {delegate ? 'le document a pour auteur le professionnel que vous représentez et garde la trace de votre dépôt (R8.1).' : 'vous en êtes l’auteur (R8.1).'}
      </p>
      <form noValidate onSubmit={(e) => void submit(e)}>
        {!patient ? (
          <div className="field">
            <label htmlFor={ids.patient}>Identifiant du patient (ressource Patient)</label>
            <input id={ids.patient} type="text" required aria-describedby={ids.patientHint} value={patientId} onChange={(e) => setPatientId(e.target.value)} />
            <p id={ids.patientHint} className="hint">
              L’identifiant du dossier connu de votre logiciel (par exemple <code>demo-claire</code>). Un délégué ne lit rien, pas même
              la recherche par INS (R8.2).
            </p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={ids.type}>Type de document</label>
          <select id={ids.type} value={typeKey} onChange={(e) => setTypeKey(e.target.value)} aria-describedby={notes.length ? ids.notes : undefined}>
            {DEPOSIT_FAMILIES.map((family) => (
              <optgroup key={family.code} label={familyShort(family.code)}>
                {DOCUMENT_TYPES.filter((t) => t.family === family.code).map((t) => (
                  <option key={keyOf(t)} value={keyOf(t)}>
                    {t.display}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {notes.length ? (
            <ul id={ids.notes} className="hint">
              {notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={ids.title}>Titre du document</label>
          <input id={ids.title} type="text" required value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.file}>Fichier</label>
          <input id={ids.file} ref={file} type="file" required />
        </div>
        <fieldset>
          <legend>Visibilité au dépôt</legend>
          {Object.entries(VISIBILITY_LABELS).map(([code, { text: label }]) => (
            <div key={code}>
              <label className="inline-label">
                <input type="checkbox" checked={labels.includes(code)} onChange={(e) => toggle(code, e.target.checked)} />
                {label}
                {code === 'INVISIBLE_PATIENT' ? ' (résultat à annoncer en consultation, R5.3)' : code === 'INVISIBLE_REPRESENTANTS_LEGAUX' ? ' (à la demande du patient mineur, R5.4)' : ' (R5.2)'}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" aria-disabled={busy}>
          Déposer
        </button>
      </form>
      <ErrorMessage error={error} />
      {done ? (
        <p className="success" role="status">
          Document déposé ({done}).{delegate ? ' Un délégué ne relit pas ce qu’il dépose (R8.2).' : ''}
        </p>
      ) : null}
    </section>
  );
}

import { useState } from 'react';
import { fhirSend } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import {
  ARCHIVED_EXTENSION,
  MASKED_TO_PROFESSIONALS,
  VISIBILITY_SYSTEM,
  documentBadges,
  documentTitle,
  formatDate,
  isArchived,
  isReimbursement,
  labelsOf,
  referenceLabel,
  typeLabel,
} from '../fhir/codes.js';
import { DocumentViewer } from './DocumentViewer.js';

/** R5.2: masking adds or removes MASQUE_PS, leaving every other label as it is. */
function withMasking(doc: fhir4.DocumentReference, masked: boolean): fhir4.DocumentReference {
  const others = (doc.securityLabel ?? [])
    .map((label) => ({ ...label, coding: (label.coding ?? []).filter((c) => !(c.system === VISIBILITY_SYSTEM && c.code === MASKED_TO_PROFESSIONALS)) }))
    .filter((label) => label.coding.length > 0 || label.text);
  const securityLabel = masked ? [...others, { coding: [{ system: VISIBILITY_SYSTEM, code: MASKED_TO_PROFESSIONALS }] }] : others;
  const { securityLabel: _previous, ...rest } = doc;
  return securityLabel.length ? { ...rest, securityLabel } : rest;
}

/** R7.3: archiving sets PDSm's is-archived extension; unarchiving removes it. */
function withArchive(doc: fhir4.DocumentReference, archived: boolean): fhir4.DocumentReference {
  const extension = (doc.extension ?? []).filter((e) => e.url !== ARCHIVED_EXTENSION);
  if (archived) extension.push({ url: ARCHIVED_EXTENSION, valueBoolean: true });
  const { extension: _previous, ...rest } = doc;
  return extension.length ? { ...rest, extension } : rest;
}

/** One document of the holder: what it is, its labels, and what the holder may do with it. */
export function DocumentItem({ doc, onChanged }: { doc: fhir4.DocumentReference; onChanged(): void }) {
  const [open, setOpen] = useState(false);
  // the version being changed: busy until the list read again brings the next one, so that a
  // second change never carries the previous version
  const [changing, setChanging] = useState<fhir4.DocumentReference>();
  const busy = changing === doc;
  const [error, setError] = useState<unknown>();
  const title = documentTitle(doc);
  const labels = labelsOf(doc);
  const masked = labels.includes(MASKED_TO_PROFESSIONALS);
  const archived = isArchived(doc);
  const headingId = `doc-${doc.id}`;

  const save = async (next: fhir4.DocumentReference) => {
    if (busy) return;
    setChanging(doc);
    setError(undefined);
    try {
      const version = doc.meta?.versionId;
      await fhirSend('PUT', `DocumentReference/${doc.id}`, next, version ? { 'if-match': `W/"${version}"` } : {});
      onChanged();
    } catch (err) {
      setError(err);
      setChanging(undefined);
    }
  };

  return (
    <li className="document" aria-labelledby={headingId}>
      <div>
        <span className="title" id={headingId}>
          {title}
        </span>
        {documentBadges(doc).map((badge) => (
          <span key={badge.label} className={`badge ${badge.kind}`}>
            {badge.label}
          </span>
        ))}
      </div>
      <div className="meta">
        {typeLabel(doc)} · {formatDate(doc.date)} · auteur : {(doc.author ?? []).map(referenceLabel).join(', ') || 'inconnu'}
      </div>
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Fermer' : 'Ouvrir'}
          <span className="visually-hidden"> : {title}</span>
        </button>
        {isReimbursement(doc) ? (
          <span className="hint">Données de remboursement : jamais masquables (R8.6).</span>
        ) : (
          <button type="button" aria-disabled={busy} onClick={() => void save(withMasking(doc, !masked))}>
            {masked ? 'Ne plus masquer' : 'Masquer aux professionnels'}
          </button>
        )}
        <button type="button" className="secondary" aria-disabled={busy} onClick={() => void save(withArchive(doc, !archived))}>
          {archived ? 'Désarchiver' : 'Archiver'}
        </button>
      </div>
      <ErrorMessage error={error} />
      {open ? <DocumentViewer doc={doc} title={title} /> : null}
    </li>
  );
}

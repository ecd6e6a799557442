import { useEffect, useId, useRef, useState } from 'react';
import { fhirGet } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FINESS_SYSTEM, documentBadges, documentTitle, familyOf, familyShort, formatDate, typeLabel } from '../fhir/codes.js';
import { DocumentViewer } from './DocumentViewer.js';

function authorName(doc: fhir4.DocumentReference): string {
  const names = (doc.author ?? [])
    .map((a) => {
      if (a.display) return a.display;
      if (a.identifier?.value) return `${a.identifier.system === FINESS_SYSTEM ? 'FINESS' : 'RPPS'} ${a.identifier.value}`;
      if (a.reference?.startsWith('Patient/')) return 'le titulaire';
      if (a.reference?.startsWith('RelatedPerson/')) return 'un représentant légal';
      return a.reference;
    })
    .filter(Boolean);
  return names.length ? names.join(', ') : 'auteur inconnu';
}

/**
 * The patient's documents as the server lets this caller see them (R3, R4.2, R5): nothing is
 * filtered here, every badge is the document's own label.
 */
export function DocumentList({ patientId, token, refresh, emergency }: { patientId: string; token: string; refresh: number; emergency: boolean }) {
  const [documents, setDocuments] = useState<fhir4.DocumentReference[]>();
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [all, setAll] = useState(false);
  const [open, setOpen] = useState<fhir4.DocumentReference>();
  const headingId = useId();
  const section = useRef<HTMLElement>(null);
  // closing the viewer gives the focus back to the document's « Ouvrir » button (WCAG 2.4.3)
  const close = () => {
    section.current?.querySelector<HTMLElement>(`button[data-document="${CSS.escape(open?.id ?? '')}"]`)?.focus();
    setOpen(undefined);
  };

  useEffect(() => {
    let cancelled = false;
    setDocuments(undefined);
    setError(undefined);
    setOpen(undefined);
    const status = all ? '&status=current,superseded' : '';
    fhirGet<fhir4.Bundle>(`DocumentReference?patient=${encodeURIComponent(`Patient/${patientId}`)}${status}&_sort=-date&_count=100`).then(
      (bundle) => {
        if (cancelled) return;
        setDocuments((bundle.entry ?? []).map((e) => e.resource).filter((r): r is fhir4.DocumentReference => r?.resourceType === 'DocumentReference'));
        setTotal(bundle.total);
      },
      (err: unknown) => {
        if (!cancelled) setError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [patientId, token, refresh, all]);

  return (
    <section ref={section} aria-labelledby={headingId}>
      <h3 id={headingId}>Documents</h3>
      <label className="inline-label">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        Inclure les documents archivés et remplacés
      </label>
      <ErrorMessage error={error} />
      {!documents && !error ? <p role="status">Chargement des documents…</p> : null}
      {documents && documents.length === 0 ? (
        <p className="notice" role="status">
          Aucun document visible pour vous dans ce dossier.{' '}
          {emergency
            ? 'Même en accès en urgence, la matrice d’habilitation et le masquage s’appliquent (R6.3).'
            : 'Sans autorisation du titulaire, ni statut de médecin traitant DMP, ni accès en urgence, un professionnel ne voit rien du dossier (R3.7) ; un professionnel bloqué par le titulaire non plus (R3.4).'}
        </p>
      ) : null}
      {documents && documents.length > 0 ? (
        <>
          <p role="status">
            {total ?? documents.length} document{(total ?? documents.length) > 1 ? 's' : ''} visible{(total ?? documents.length) > 1 ? 's' : ''} selon les règles du DMP
            {total !== undefined && total > documents.length ? ` (les ${documents.length} plus récents affichés)` : ''}.
          </p>
          <ul className="documents">
            {documents.map((doc) => {
              const title = documentTitle(doc);
              const badges = documentBadges(doc);
              return (
                <li key={doc.id} className="document">
                  <div>
                    <span className="title">{title}</span>
                    {badges.map((badge) => (
                      <span key={badge.label} className={`badge ${badge.kind}`}>
                        {badge.label}
                      </span>
                    ))}
                  </div>
                  <div className="meta">
                    {typeLabel(doc)} · famille « {familyShort(familyOf(doc))} » · {formatDate(doc.date)} · {authorName(doc)}
                  </div>
                  <div className="actions">
                    <button type="button" data-document={doc.id} onClick={() => setOpen(doc)} aria-label={`Ouvrir « ${title} »`}>
                      Ouvrir
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {open ? <DocumentViewer document={open} onClose={close} /> : null}
    </section>
  );
}

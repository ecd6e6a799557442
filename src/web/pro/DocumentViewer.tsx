import { useEffect, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { documentTitle } from '../fhir/codes.js';
import { attachmentContent } from './content.js';

interface Shown {
  url: string;
  contentType: string;
  text?: string;
}

function fileName(doc: fhir4.DocumentReference, contentType: string): string {
  const title = doc.content?.[0]?.attachment?.title;
  if (title && /\.[A-Za-z0-9]{1,5}$/.test(title)) return title;
  const extension = contentType === 'application/pdf' ? '.pdf' : contentType.startsWith('text/') ? '.txt' : '';
  return `${(title ?? documentTitle(doc)).replace(/[\\/:*?"<>|]+/g, '_')}${extension}`;
}

/** One document's content in the page: text as text, PDF in a frame, images as images, all from a blob URL. */
export function DocumentViewer({ document: doc, onClose }: { document: fhir4.DocumentReference; onClose(): void }) {
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const title = documentTitle(doc);

  useEffect(() => {
    heading.current?.focus();
    const attachment = doc.content?.[0]?.attachment;
    let url: string | undefined;
    let cancelled = false;
    setShown(undefined);
    setError(undefined);
    if (!attachment) {
      setError(new Error('ce document n’a pas de contenu'));
      return;
    }
    attachmentContent(attachment).then(
      async ({ blob, contentType }) => {
        const text = contentType.startsWith('text/') ? await blob.text() : undefined;
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setShown({ url, contentType, text });
      },
      (err: unknown) => {
        if (!cancelled) setError(err);
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [doc]);

  return (
    <section className="viewer" aria-labelledby={headingId}>
      <h4 id={headingId} ref={heading} tabIndex={-1}>
        Document ouvert : {title}
      </h4>
      <ErrorMessage error={error} />
      {!shown && !error ? <p role="status">Chargement du contenu…</p> : null}
      {shown ? (
        <>
          {shown.text !== undefined ? (
            <pre className="document-text" role="region" tabIndex={0} aria-label={`Contenu de « ${title} »`}>
              {shown.text}
            </pre>
          ) : shown.contentType === 'application/pdf' ? (
            <iframe className="document-pdf" src={shown.url} title={`Contenu PDF de « ${title} »`} />
          ) : shown.contentType.startsWith('image/') ? (
            <img className="document-image" src={shown.url} alt={`Contenu de « ${title} »`} />
          ) : (
            <p>Ce format ({shown.contentType}) ne s’affiche pas dans la page : téléchargez le fichier.</p>
          )}
          <p>
            <a href={shown.url} download={fileName(doc, shown.contentType)}>
              Télécharger le fichier ({shown.contentType})
            </a>
          </p>
        </>
      ) : null}
      <button type="button" onClick={onClose}>
        Fermer le document
      </button>
    </section>
  );
}

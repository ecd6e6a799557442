import { useEffect, useState } from 'react';
import { attachmentBlob, fhirBinary } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';

/** The first attachment's bytes: inline `data`, or its `url` fetched through the FHIR API with the user's token. */
async function contentOf(doc: fhir4.DocumentReference): Promise<Blob | undefined> {
  const attachment = doc.content?.[0]?.attachment;
  if (!attachment) return undefined;
  if (attachment.data) return attachmentBlob(attachment);
  if (!attachment.url) return undefined;
  const marker = attachment.url.indexOf('/fhir/');
  const path = marker >= 0 ? attachment.url.slice(marker + '/fhir/'.length) : attachment.url;
  if (/^[a-z]+:/i.test(path)) throw new Error('ce document est hébergé hors du DMP et ne peut pas être affiché ici');
  return fhirBinary(path);
}

/** Shows a document in the page: text as text, PDF in a frame, images as images; anything else to download. */
export function DocumentViewer({ doc, title }: { doc: fhir4.DocumentReference; title: string }) {
  const [state, setState] = useState<{ blob?: Blob; url?: string; text?: string; error?: unknown; done: boolean }>({ done: false });
  useEffect(() => {
    let live = true;
    let url: string | undefined;
    contentOf(doc)
      .then(async (blob) => {
        if (!live) return;
        if (!blob) return setState({ done: true });
        url = URL.createObjectURL(blob);
        const text = blob.type.startsWith('text/') || blob.type.includes('json') ? await blob.text() : undefined;
        if (live) setState({ blob, url, text, done: true });
      })
      .catch((error: unknown) => live && setState({ error, done: true }));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [doc]);

  if (!state.done) return <p aria-live="polite">Chargement du document…</p>;
  if (state.error) return <ErrorMessage error={state.error} />;
  const { blob, url, text } = state;
  if (!blob || !url) return <p className="viewer">Ce document n’a pas de contenu consultable dans le DMP.</p>;
  return (
    <div className="viewer" role="region" aria-label={`Contenu : ${title}`}>
      {text !== undefined ? (
        <pre>{text}</pre>
      ) : blob.type === 'application/pdf' ? (
        <iframe src={url} title={`Document PDF : ${title}`} />
      ) : blob.type.startsWith('image/') ? (
        <img src={url} alt={title} />
      ) : (
        <p>Ce format ({blob.type || 'inconnu'}) ne s’affiche pas dans la page.</p>
      )}
      <p>
        <a href={url} download={title}>
          Télécharger le fichier
        </a>
      </p>
    </div>
  );
}

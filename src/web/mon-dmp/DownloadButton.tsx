import { useState } from 'react';
import { fhirGet } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import type { Holder } from './holder.js';

/** R7.4: the whole DMP (`Patient/[id]/$everything`, every page) saved as one JSON file. */
export function DownloadButton({ holder }: { holder: Holder }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const first = await fhirGet<fhir4.Bundle>(`${holder.reference}/$everything`);
      const entries = [...(first.entry ?? [])];
      let next = first.link?.find((l) => l.relation === 'next')?.url;
      while (next) {
        const page = await fhirGet<fhir4.Bundle>(next.slice(next.indexOf('/fhir/') + '/fhir/'.length));
        entries.push(...(page.entry ?? []));
        next = page.link?.find((l) => l.relation === 'next')?.url;
      }
      const bundle: fhir4.Bundle = { ...first, entry: entries, total: entries.length, link: undefined };
      const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/fhir+json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `dmp-${holder.patient.id}-${new Date().toISOString().slice(0, 10)}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void download()} aria-disabled={busy}>
        {busy ? 'Téléchargement…' : 'Télécharger tout mon DMP (JSON)'}
      </button>
      <ErrorMessage error={error} />
    </>
  );
}

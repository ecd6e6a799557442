import { useId, useMemo, useState } from 'react';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Title, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { resourcesOf } from '../fhir/bundle.js';
import { documentTitle, formatDate } from '../fhir/codes.js';
import { usePractitioners } from '../fhir/practitioners.js';
import { useFhir } from '../fhir/use-fhir.js';
import { accessEntry, perMonth, type AccessEntry } from './audit-view.js';
import { useHolder } from './holder.js';
import { useSession } from '../session.js';

ChartJS.register(CategoryScale, LinearScale, BarElement, Title, Tooltip, Legend);

const MODE_TEXT: Record<AccessEntry['mode'], string | undefined> = {
  normal: undefined,
  bris_de_glace: 'Accès en urgence (bris de glace)',
  centre_15: 'Accès en urgence par le SAMU-Centre 15 (régulation)',
};

function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year!, (m ?? 1) - 1, 15)).toLocaleDateString('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** R10.1: who accessed the DMP, when, doing what; emergency accesses highlighted; a chart of accesses per month. */
export function HistoryPage() {
  const { reference } = useHolder();
  const { claims } = useSession();
  const directory = usePractitioners();
  const audits = useFhir<fhir4.Bundle>(`AuditEvent?patient=${reference}&_sort=-date&_count=1000`);
  const docs = useFhir<fhir4.Bundle>(`DocumentReference?patient=${reference}&_count=500`);
  const [showOwn, setShowOwn] = useState(false);
  const ownId = useId();

  const entries = useMemo(() => {
    const titles = new Map(resourcesOf<fhir4.DocumentReference>(docs.data, 'DocumentReference').map((d) => [d.id ?? '', documentTitle(d)]));
    return resourcesOf<fhir4.AuditEvent>(audits.data, 'AuditEvent').map((e) => accessEntry(e, titles, directory));
  }, [audits.data, docs.data, directory]);
  const mine = (e: AccessEntry) => e.actorKey === claims.fhirUser || e.actorKey === reference;
  const shown = entries.filter((e) => showOwn || !mine(e));
  const months = perMonth(shown);

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Historique des accès</h2>
      <ErrorMessage error={audits.error} />
      <p>
        <label className="inline-label" htmlFor={ownId}>
          <input id={ownId} type="checkbox" checked={showOwn} onChange={(e) => setShowOwn(e.target.checked)} />
          Afficher aussi mes propres actions
        </label>
      </p>
      {!audits.data && !audits.error ? <p aria-live="polite">Chargement de l’historique…</p> : null}
      {months.length > 0 ? (
        <figure className="chart">
          <Bar
            aria-label="Nombre d’accès par mois"
            role="img"
            data={{
              labels: months.map((m) => monthLabel(m.month)),
              datasets: [
                { label: 'Accès', data: months.map((m) => m.count - m.emergency), backgroundColor: '#0b4f9c' },
                { label: 'Accès en urgence', data: months.map((m) => m.emergency), backgroundColor: '#a4161a' },
              ],
            }}
            options={{ responsive: true, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }, plugins: { title: { display: true, text: 'Accès par mois' } } }}
          />
          <figcaption>
            Accès par mois :{' '}
            {months.map((m) => `${monthLabel(m.month)} : ${m.count}${m.emergency ? ` dont ${m.emergency} en urgence` : ''}`).join(' ; ')}.
          </figcaption>
        </figure>
      ) : null}
      <ol className="timeline">
        {shown.map((e) => {
          const emergency = MODE_TEXT[e.mode];
          return (
            <li key={e.id} className={[emergency ? 'break-glass' : '', e.refused ? 'refused' : ''].join(' ').trim() || undefined}>
              <time dateTime={e.when}>{formatDate(e.when, true)}</time> — <strong>{e.who}</strong>
              {e.profession ? ` (${e.profession})` : ''} {e.action} {e.what.length ? e.what.join(', ') : 'le dossier'}
              {emergency ? (
                <>
                  {' '}
                  — <strong>{emergency}</strong>
                </>
              ) : null}
              {e.refused ? ` — refusé${e.rule ? ` (règle ${e.rule})` : ''}` : ''}
            </li>
          );
        })}
        {audits.data && shown.length === 0 ? <li>Aucun accès.</li> : null}
      </ol>
    </section>
  );
}

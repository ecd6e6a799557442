import { ErrorMessage } from '../components/ErrorMessage.js';
import { resourcesOf } from '../fhir/bundle.js';
import { NOTIFICATION_SYSTEM, formatDate } from '../fhir/codes.js';
import { useFhir } from '../fhir/use-fhir.js';
import { useHolder } from './holder.js';

const CATEGORIES: Record<string, string> = {
  'dmp-opened': 'Ouverture du DMP',
  'first-access': 'Premier accès d’un professionnel',
  'break-glass': 'Accès en urgence (bris de glace)',
  'regulator-access': 'Accès par le SAMU-Centre 15',
  'invisible-unreleased': 'Résultat à voir avec un professionnel',
};

/** R10.2: the notifications the server sent about this DMP, newest first. */
export function NotificationsPage() {
  const { reference } = useHolder();
  const search = useFhir<fhir4.Bundle>(`Communication?subject=${reference}&_sort=-sent&_count=200`);
  const notes = resourcesOf<fhir4.Communication>(search.data, 'Communication');
  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <ErrorMessage error={search.error} />
      {!search.data && !search.error ? <p aria-live="polite">Chargement…</p> : null}
      <ul className="documents">
        {notes.map((n) => {
          const code = n.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === NOTIFICATION_SYSTEM)?.code ?? '';
          const emergency = code === 'break-glass' || code === 'regulator-access';
          return (
            <li key={n.id} className={`document${emergency ? ' emergency' : ''}`}>
              <div className="title">{CATEGORIES[code] ?? code}</div>
              <div className="meta">{formatDate(n.sent, true)}</div>
              <p>{n.payload?.map((p) => p.contentString).filter(Boolean).join(' ')}</p>
            </li>
          );
        })}
        {search.data && notes.length === 0 ? <li>Aucune notification.</li> : null}
      </ul>
    </section>
  );
}

import { ErrorMessage } from '../components/ErrorMessage.js';
import { resourcesOf } from '../fhir/bundle.js';
import { FAMILIES, familyOf } from '../fhir/codes.js';
import { useFhir } from '../fhir/use-fhir.js';
import { DocumentItem } from './DocumentItem.js';
import { useHolder } from './holder.js';

const byDateDesc = (a: fhir4.DocumentReference, b: fhir4.DocumentReference) => (b.date ?? '').localeCompare(a.date ?? '');

/** Every document the holder may see, by family (DMP-RULES section 11), archived ones in their own list (R7.3). */
export function DocumentsPage() {
  const { reference } = useHolder();
  const current = useFhir<fhir4.Bundle>(`DocumentReference?patient=${reference}&_count=200&_sort=-date`);
  const archived = useFhir<fhir4.Bundle>(`DocumentReference?patient=${reference}&isArchived=true&_count=200&_sort=-date`);
  const reload = () => {
    current.reload();
    archived.reload();
  };
  if (current.error || archived.error) return <ErrorMessage error={current.error ?? archived.error} />;
  if (!current.data || !archived.data) return <p aria-live="polite">Chargement des documents…</p>;

  const documents = resourcesOf<fhir4.DocumentReference>(current.data, 'DocumentReference').sort(byDateDesc);
  const archivedDocs = resourcesOf<fhir4.DocumentReference>(archived.data, 'DocumentReference').sort(byDateDesc);
  const groups = FAMILIES.map((family) => ({ family, docs: documents.filter((d) => familyOf(d) === family.code) })).filter((g) => g.docs.length > 0);

  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">Documents</h2>
      {documents.length === 0 ? <p>Aucun document.</p> : null}
      {groups.map(({ family, docs }) => (
        <section key={family.code} aria-labelledby={`family-${family.code}`}>
          <h3 id={`family-${family.code}`}>
            {family.heading} ({docs.length})
          </h3>
          <ul className="documents">
            {docs.map((doc) => (
              <DocumentItem key={doc.id} doc={doc} onChanged={reload} />
            ))}
          </ul>
        </section>
      ))}
      <section aria-labelledby="archived-heading">
        <h3 id="archived-heading">Documents archivés ({archivedDocs.length})</h3>
        <p className="hint">Archivés, ils n’apparaissent plus dans les recherches par défaut, mais restent consultables (R7.3).</p>
        <ul className="documents">
          {archivedDocs.map((doc) => (
            <DocumentItem key={doc.id} doc={doc} onChanged={reload} />
          ))}
        </ul>
      </section>
    </section>
  );
}

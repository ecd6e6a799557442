import { useEffect, useState } from 'react';
import { NavLink, Outlet, matchPath, useLocation } from 'react-router';
import { fhirGet } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Page } from '../components/Page.js';
import { formatDate, humanName } from '../fhir/codes.js';
import { useSession } from '../session.js';
import { DmpStatus } from './DmpStatus.js';
import { DownloadButton } from './DownloadButton.js';
import { HolderContext, type Holder } from './holder.js';

const TABS = [
  { to: '/mon-dmp', label: 'Documents', end: true },
  { to: '/mon-dmp/espace-personnel', label: 'Espace personnel' },
  { to: '/mon-dmp/volontes', label: 'Proches et volontés' },
  { to: '/mon-dmp/autorisations', label: 'Autorisations' },
  { to: '/mon-dmp/historique', label: 'Historique des accès' },
  { to: '/mon-dmp/notifications', label: 'Notifications' },
];

/** Finds whose DMP it is from the token's fhirUser: the holder's Patient, or the minor a rep's RelatedPerson names. */
async function loadHolder(fhirUser: string | undefined): Promise<Holder> {
  if (fhirUser?.startsWith('Patient/')) {
    return { patient: await fhirGet<fhir4.Patient>(fhirUser), reference: fhirUser, representative: false };
  }
  if (fhirUser?.startsWith('RelatedPerson/')) {
    const person = await fhirGet<fhir4.RelatedPerson>(fhirUser);
    const reference = person.patient.reference ?? '';
    return { patient: await fhirGet<fhir4.Patient>(reference), reference, representative: true };
  }
  throw new Error('ce jeton ne désigne ni un titulaire (Patient) ni un représentant légal (RelatedPerson) : l’espace « Mon DMP » leur est réservé');
}

/** The holder's (or a minor's representative's) space: whose DMP, the tabs, the download. */
export function MonDmpLayout() {
  const { claims, token } = useSession();
  const { pathname } = useLocation();
  const tab = TABS.find((t) => matchPath(t.to, pathname))?.label;
  const [holder, setHolder] = useState<Holder>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setHolder(undefined);
    setError(undefined);
    loadHolder(claims.fhirUser).then(setHolder, setError);
  }, [claims.fhirUser, token]);

  if (error) {
    return (
      <Page title="Mon DMP">
        <ErrorMessage error={error} />
      </Page>
    );
  }
  if (!holder) {
    return (
      <Page title="Mon DMP">
        <p aria-live="polite">Chargement du dossier…</p>
      </Page>
    );
  }
  const name = humanName(holder.patient.name);
  return (
    <HolderContext.Provider value={holder}>
      <Page title={holder.representative ? `DMP de ${name}` : 'Mon DMP'} section={tab}>
        <div className="row">
          <p>
            {holder.representative
              ? `Vous agissez en tant que représentant légal de ${name}, né(e) le ${formatDate(holder.patient.birthDate)}.`
              : `Titulaire : ${name}.`}
          </p>
          <DownloadButton holder={holder} />
        </div>
        <DmpStatus holder={holder.reference} />
        <nav className="tabs" aria-label="Rubriques du DMP">
          <ul>
            {TABS.map((tab) => (
              <li key={tab.to}>
                <NavLink to={tab.to} end={tab.end}>
                  {tab.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <Outlet />
      </Page>
    </HolderContext.Provider>
  );
}

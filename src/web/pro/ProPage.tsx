import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fhirGet } from '../api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Page } from '../components/Page.js';
import { useSession } from '../session.js';
import { BreakGlassBanner, BreakGlassRequest, RegulatorNotice } from './BreakGlass.js';
import { isBreakGlass } from './break-glass.js';
import { DepositForm } from './DepositForm.js';
import { DocumentList } from './DocumentList.js';
import { IdentitySummary } from './identity.js';
import { INS_SYSTEMS, insOfPatient, insProblem, insSearch, patientName } from './ins.js';

/** `#/pro`: a professional (or the SAMU regulator) finds a patient by INS and sees what the rules allow. */
export function ProPage() {
  const { claims } = useSession();
  const role = claims.role;
  if (role === 'delegate') {
    return (
      <Page title="Dépôt de documents (délégué)">
        <IdentitySummary claims={claims} />
        <p className="notice">
          Un délégué dépose des documents au nom du professionnel qu’il représente ; il ne consulte aucun dossier (R8.2).
        </p>
        <DepositForm />
      </Page>
    );
  }
  if (role === 'patient' || role === 'legal-representative') {
    return (
      <Page title="Espace professionnel">
        <p className="notice">
          Cet espace est celui des professionnels de santé. Votre dossier est dans <Link to="/mon-dmp">Mon DMP</Link>.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Espace professionnel">
      <IdentitySummary claims={claims} />
      {role === 'admin' ? (
        <p className="notice">
          L’administrateur ne lit aucune donnée de santé (R1.4) : voyez plutôt l’<Link to="/regles">explorateur des règles</Link>.
        </p>
      ) : null}
      {role === 'regulator' ? <RegulatorNotice /> : null}
      <BreakGlassBanner />
      <PatientSearch />
    </Page>
  );
}

/** The patients of one exact INS, in the system chosen or in each system until one answers. */
async function findByIns(ins: string, system: string): Promise<{ patients: fhir4.Patient[]; system?: string }> {
  for (const candidate of system ? [system] : INS_SYSTEMS.map((s) => s.system)) {
    const bundle = await fhirGet<fhir4.Bundle>(insSearch(candidate, ins));
    const patients = (bundle.entry ?? []).map((e) => e.resource as fhir4.Patient).filter((p) => p?.resourceType === 'Patient');
    if (patients.length) return { patients, system: candidate };
  }
  return { patients: [] };
}

interface SearchResult {
  ins: string;
  patients?: fhir4.Patient[];
  error?: unknown;
}

function PatientSearch() {
  const { token, claims } = useSession();
  const [params, setParams] = useSearchParams();
  const ins = params.get('ins') ?? '';
  const system = params.get('systeme') ?? '';
  const [typed, setTyped] = useState(ins);
  const [typedSystem, setTypedSystem] = useState(system);
  const [problem, setProblem] = useState<string>();
  const [result, setResult] = useState<SearchResult>();
  const fieldId = useId();
  const hintId = useId();
  const systemId = useId();
  const resolved = useRef<string>(undefined);

  useEffect(() => {
    setTyped(ins);
    setTypedSystem(system);
    if (!ins || insProblem(ins)) {
      setResult(undefined);
      return;
    }
    // the system that answered, written into the address below: already searched
    if (resolved.current === `${ins}|${system}|${token}`) return;
    let cancelled = false;
    // a new token (break-glass) asks again, keeping the file shown meanwhile: no second load of it
    setResult((previous) => (previous?.ins === ins ? previous : { ins }));
    findByIns(ins, system).then(
      (found) => {
        if (cancelled) return;
        setResult({ ins, patients: found.patients });
        // later searches (a reload, a new token) ask only the system that answered
        if (!system && found.system) {
          resolved.current = `${ins}|${found.system}|${token}`;
          setParams({ ins, systeme: found.system }, { replace: true });
        }
      },
      (error: unknown) => {
        if (!cancelled) setResult({ ins, error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [ins, system, token, setParams]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = typed.replace(/\s+/g, '');
    const why = insProblem(value);
    setProblem(why);
    if (why) return;
    setParams({ ins: value, ...(typedSystem ? { systeme: typedSystem } : {}) });
  };

  return (
    <>
      <section aria-labelledby="search-heading">
        <h2 id="search-heading">Rechercher un patient</h2>
        <form className="inline-form" noValidate onSubmit={submit}>
          <div className="field">
            <label htmlFor={fieldId}>INS du patient</label>
            <input
              id={fieldId}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              aria-describedby={hintId}
              aria-invalid={problem ? true : undefined}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={systemId}>Système de l’INS</label>
            <select id={systemId} value={typedSystem} onChange={(e) => setTypedSystem(e.target.value)}>
              <option value="">Tous (INS-NIR, INS-NIA, test, démonstration)</option>
              {INS_SYSTEMS.map((s) => (
                <option key={s.system} value={s.system}>
                  {s.label} ({s.system})
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Rechercher</button>
        </form>
        <p id={hintId} className="hint">
          Identifiant national de santé : 15 chiffres (NIR et clé). La recherche est exacte (D21).
        </p>
        {problem ? <ErrorMessage error={new Error(problem)} /> : null}
        {result && !result.patients && !result.error ? <p role="status">Recherche en cours…</p> : null}
        <ErrorMessage error={result?.error} />
        {result?.patients && result.patients.length === 0 ? (
          <p className="notice" role="status">
            Aucun patient accessible pour l’INS {result.ins}. Soit cet INS ne correspond à aucun patient enregistré, soit les règles
            du DMP ne vous en montrent rien (un professionnel bloqué par le titulaire ne voit rien de lui, R3.4).
          </p>
        ) : null}
      </section>
      {result?.patients?.map((patient) => (
        <PatientFile key={patient.id} patient={patient} emergency={isBreakGlass(claims) || claims.role === 'regulator'} />
      ))}
    </>
  );
}

function PatientFile({ patient, emergency }: { patient: fhir4.Patient; emergency: boolean }) {
  const { token, claims } = useSession();
  const [refresh, setRefresh] = useState(0);
  const name = patientName(patient);
  const ins = insOfPatient(patient);
  const label = `${name}${ins ? ` (INS ${ins})` : ''}`;
  const professional = claims.role === 'professional' || claims.role === 'regulator';
  // one INS may name several patients: each file's ids are its own
  const headingId = useId();
  return (
    <article className="patient-file" aria-labelledby={headingId}>
      <h2 id={headingId}>Dossier de {name}</h2>
      <dl className="identity-summary">
        <div>
          <dt>INS</dt>
          <dd>{ins ?? 'non renseigné'}</dd>
        </div>
        <div>
          <dt>Date de naissance</dt>
          <dd>{patient.birthDate ? new Date(`${patient.birthDate}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' }) : 'inconnue'}</dd>
        </div>
        <div>
          <dt>Identifiant de la ressource</dt>
          <dd>Patient/{patient.id}</dd>
        </div>
      </dl>
      <BreakGlassRequest patientLabel={label} />
      <DocumentList patientId={patient.id!} token={token} refresh={refresh} emergency={emergency} />
      {professional ? <DepositForm patient={{ reference: `Patient/${patient.id}`, label }} onDeposited={() => setRefresh((n) => n + 1)} /> : null}
    </article>
  );
}

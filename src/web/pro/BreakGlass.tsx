import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useSession } from '../session.js';
import { NoDevTokenError, isBreakGlass, readBreakGlass, remint, saveBreakGlass } from './break-glass.js';

const MIN_REASON = 10;

/**
 * While the token is a break-glass one (R6.1): a red banner with the stated reason, who it was
 * for and since when, and the way back to an ordinary token.
 */
export function BreakGlassBanner() {
  const { token, claims, signIn } = useSession();
  const [error, setError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);
  const active = isBreakGlass(claims);
  // the confirmation button went with the request form: the focus goes to the banner that replaces it
  useEffect(() => {
    if (active && (!document.activeElement || document.activeElement === document.body)) heading.current?.focus();
  }, [active]);
  if (!active) return null;
  const state = readBreakGlass(token);

  const end = async () => {
    setError(undefined);
    try {
      const next = state?.previousToken || (await remint(claims, 'TREAT'));
      saveBreakGlass(undefined);
      signIn(next);
    } catch (err) {
      setError(
        err instanceof NoDevTokenError
          ? new Error('ce jeton de bris de glace vient de votre fournisseur d’identité : déconnectez-vous et reconnectez-vous avec un jeton ordinaire')
          : err,
      );
    }
  };

  return (
    <section className="break-glass-banner" aria-labelledby="break-glass-heading">
      <h2 id="break-glass-heading" ref={heading} tabIndex={-1}>
        Bris de glace en cours : accès en urgence actif
      </h2>
      <p>
        <strong>Motif : </strong>
        {state ? state.reason : 'non saisi dans cette page (le jeton d’accès en urgence a été délivré tel quel)'}
      </p>
      {state ? (
        <p>
          Demandé pour {state.patient}, le {new Date(state.since).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}.
        </p>
      ) : null}
      <p>
        Chaque requête est tracée avec ce motif d’usage (ETREAT) et notifiée au titulaire (R6.4). Le titulaire peut s’y être
        opposé (R3.5) ; la matrice d’habilitation et le masquage s’appliquent toujours (R6.3).
      </p>
      <ErrorMessage error={error} />
      <button type="button" className="danger-outline" onClick={() => void end()}>
        Mettre fin à l’accès en urgence
      </button>
    </section>
  );
}

/** The regulator's standing emergency access (R6.2), stated so that no one mistakes it for ordinary access. */
export function RegulatorNotice() {
  return (
    <section className="regulator-notice" aria-labelledby="regulator-heading">
      <h2 id="regulator-heading">Accès du médecin régulateur SAMU-Centre 15</h2>
      <p>
        Vous accédez aux dossiers au titre de la régulation (R6.2) : chaque accès est tracé et notifié au titulaire (R6.4), sauf
        opposition de sa part (R3.5) ; la matrice d’habilitation et le masquage s’appliquent (R6.3).
      </p>
    </section>
  );
}

/**
 * Asking for break-glass on one patient: a stated reason, then a token with `purpose_of_use`
 * ETREAT. In development mode the server mints it (D4); otherwise the identity provider must.
 */
export function BreakGlassRequest({ patientLabel }: { patientLabel: string }) {
  const { token, claims, signIn } = useSession();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [providerOnly, setProviderOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const hintId = useId();
  const headingId = useId();
  if (claims.role !== 'professional' || isBreakGlass(claims)) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    const stated = reason.trim();
    if (stated.length < MIN_REASON) {
      setError(new Error(`indiquez le motif de l’accès en urgence (au moins ${MIN_REASON} caractères)`));
      return;
    }
    setBusy(true);
    try {
      const next = await remint(claims, 'ETREAT');
      saveBreakGlass({ token: next, previousToken: token, reason: stated, patient: patientLabel, since: new Date().toISOString() });
      signIn(next);
      setAsking(false);
      setReason('');
    } catch (err) {
      if (err instanceof NoDevTokenError) setProviderOnly(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="break-glass-request" aria-labelledby={headingId}>
      <h3 id={headingId}>Accès en urgence</h3>
      {!asking ? (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          Accès en urgence (bris de glace)
        </button>
      ) : (
        <form noValidate onSubmit={(e) => void submit(e)}>
          <p id={hintId} className="hint">
            Réservé à une situation d’urgence qui met en jeu la santé du patient (R6.1). Votre accès sera tracé avec ce motif et
            notifié au titulaire ; un professionnel bloqué par le titulaire n’obtient rien (R3.4).
          </p>
          <label htmlFor={reasonId}>Motif de l'accès en urgence</label>
          <textarea
            id={reasonId}
            rows={3}
            required
            autoFocus
            minLength={MIN_REASON}
            aria-describedby={hintId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="danger" aria-disabled={busy}>
              Confirmer l’accès en urgence
            </button>
            <button
              type="button"
              onClick={() => {
                setAsking(false);
                setError(undefined);
                setProviderOnly(false);
              }}
            >
              Annuler
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
      {providerOnly ? (
        <div className="notice" role="alert">
          <p>
            Ce serveur ne délivre pas de jetons lui-même : seul votre fournisseur d’identité peut émettre un jeton d’accès en urgence
            (revendication <code>purpose_of_use</code> = <code>ETREAT</code> ou <code>BTG</code>, DMP-RULES R6.1).
          </p>
          <p>Demandez-le à votre logiciel ou à votre fournisseur d’identité, puis collez-le sur la page de connexion.</p>
        </div>
      ) : null}
    </section>
  );
}

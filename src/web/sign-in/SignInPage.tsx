import { useEffect, useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Page } from '../components/Page.js';
import { decodeClaims, homeOf, useSession } from '../session.js';
import { fetchIdentities, mintToken, type DevIdentity } from './identities.js';

/**
 * D27: a token field and « Se connecter » always; in development mode, beside them, one button per
 * demo identity. OIDC login is out of scope: outside development mode the user pastes a token.
 */
export function SignInPage() {
  const { token, claims, signIn } = useSession();
  const navigate = useNavigate();
  const fieldId = useId();
  const hintId = useId();
  const [pasted, setPasted] = useState('');
  const [identities, setIdentities] = useState<DevIdentity[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetchIdentities().then(setIdentities, setError);
  }, []);

  const enter = (next: string) => {
    const decoded = decodeClaims(next);
    if (!decoded.role) {
      setError(new Error('ce texte n’est pas un jeton d’accès valide (JWT avec une revendication dmp_role)'));
      return;
    }
    signIn(next);
    navigate(homeOf(decoded));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    enter(pasted.trim());
  };

  const asIdentity = async (identity: DevIdentity) => {
    setError(undefined);
    setBusy(true);
    try {
      enter(await mintToken(identity.claims));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Connexion au DMP">
      {token ? (
        <p className="notice">
          Vous êtes déjà connecté.{' '}
          <button type="button" className="link" onClick={() => navigate(homeOf(claims))}>
            Aller à mon espace
          </button>
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <div className="sign-in">
        <section aria-labelledby="token-heading">
          <h2 id="token-heading">Avec un jeton d’accès</h2>
          <form onSubmit={submit}>
            <label htmlFor={fieldId}>Jeton d'accès (token)</label>
            <textarea id={fieldId} rows={4} value={pasted} aria-describedby={hintId} onChange={(e) => setPasted(e.target.value)} spellCheck={false} />
            <p id={hintId} className="hint">
              Collez le jeton délivré par votre fournisseur d’identité (la connexion OpenID Connect n’est pas intégrée à cette
              page).
            </p>
            <button type="submit">Se connecter</button>
          </form>
        </section>
        {identities ? (
          <section aria-labelledby="demo-heading">
            <h2 id="demo-heading">Identités de démonstration</h2>
            <p className="hint">Mode développement : un clic signe un jeton de démonstration pour cette personne.</p>
            <ul className="identities">
              {identities.map((identity) => (
                <li key={identity.key}>
                  <button type="button" disabled={busy} onClick={() => void asIdentity(identity)}>
                    {identity.label}
                  </button>
                  {/* the server describes its demo identities in English, with the rules they show */}
                  <span className="hint" lang="en">
                    {identity.shows}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </Page>
  );
}

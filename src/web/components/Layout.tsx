import { Link, Outlet, useNavigate } from 'react-router';
import { ROLES } from '../fhir/codes.js';
import { useSession } from '../session.js';

/** Header with who is signed in and the sign-out button, then the page. */
export function Layout() {
  const { token, claims, signOut } = useSession();
  const navigate = useNavigate();
  const who = claims.role ? (ROLES[claims.role] ?? claims.role) : undefined;
  return (
    <>
      <a className="skip-link" href="#contenu" onClick={(e) => { e.preventDefault(); document.getElementById('contenu')?.focus(); }}>
        Aller au contenu
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          DMP · Dossier Médical Partagé
        </Link>
        {token ? (
          <div className="session">
            <span>
              Connecté{who ? ` : ${who}` : ''}
              {typeof claims.sub === 'string' ? ` (${claims.sub})` : ''}
            </span>
            <button
              type="button"
              onClick={() => {
                signOut();
                navigate('/');
              }}
            >
              Se déconnecter
            </button>
          </div>
        ) : null}
      </header>
      <Outlet />
    </>
  );
}

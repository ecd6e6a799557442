import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from '../session.js';
import { Page } from './Page.js';

/** Shows its children only once a token is present; otherwise points to the sign-in page. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { token } = useSession();
  if (token) return <>{children}</>;
  return (
    <Page title="Connexion requise">
      <p>
        Vous n’êtes pas connecté. <Link to="/">Se connecter</Link>
      </p>
    </Page>
  );
}

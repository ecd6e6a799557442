import { Link } from 'react-router';
import { Page } from './Page.js';

export function NotFoundPage() {
  return (
    <Page title="Page introuvable">
      <p>
        Cette adresse ne correspond à aucune page. <Link to="/">Retour à la connexion</Link>
      </p>
    </Page>
  );
}

import type { RouteObject } from 'react-router';
import { RequireSession } from '../components/RequireSession.js';
import { ProPage } from './ProPage.js';

/** The professional's space (`#/pro`), children of the root layout. */
export const proRoutes: RouteObject[] = [
  {
    path: 'pro',
    element: (
      <RequireSession>
        <ProPage />
      </RequireSession>
    ),
  },
];

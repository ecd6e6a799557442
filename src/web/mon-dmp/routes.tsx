import type { RouteObject } from 'react-router';
import { RequireSession } from '../components/RequireSession.js';
import { AuthorisationsPage } from './AuthorisationsPage.js';
import { DocumentsPage } from './DocumentsPage.js';
import { HistoryPage } from './HistoryPage.js';
import { MonDmpLayout } from './MonDmpLayout.js';
import { NotificationsPage } from './NotificationsPage.js';
import { PersonalSpacePage } from './PersonalSpacePage.js';
import { WishesPage } from './WishesPage.js';

/** The holder's and a minor's representative's space (`#/mon-dmp/...`). */
export const monDmpRoutes: RouteObject[] = [
  {
    path: 'mon-dmp',
    element: (
      <RequireSession>
        <MonDmpLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <DocumentsPage /> },
      { path: 'espace-personnel', element: <PersonalSpacePage /> },
      { path: 'volontes', element: <WishesPage /> },
      { path: 'autorisations', element: <AuthorisationsPage /> },
      { path: 'historique', element: <HistoryPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
    ],
  },
];

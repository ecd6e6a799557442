import { createHashRouter, type RouteObject } from 'react-router';
import { Layout } from './components/Layout.js';
import { NotFoundPage } from './components/NotFoundPage.js';
import { SignInPage } from './sign-in/SignInPage.js';
import { monDmpRoutes } from './mon-dmp/routes.js';
// --- professional and rules routes (UI-B) ---
import { proRoutes } from './pro/routes.js';
import { rulesRoutes } from './rules/routes.js';
// --- end UI-B ---

/** Every page is a child of the layout (header, sign-out); hash routing needs no server fallback. */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <SignInPage /> },
      ...monDmpRoutes,
      ...proRoutes,
      ...rulesRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createHashRouter(routes);
}

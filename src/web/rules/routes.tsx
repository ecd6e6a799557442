import type { RouteObject } from 'react-router';
import { RulesPage } from './RulesPage.js';

/** The rules explorer (`#/regles`), children of the root layout. */
export const rulesRoutes: RouteObject[] = [{ path: 'regles', element: <RulesPage /> }];

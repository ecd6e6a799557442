import { ROW_GROUPS } from './table.js';
import { visibilitySuite } from './visibility.js';

visibilitySuite('who sees what: holders', ROW_GROUPS.holders);

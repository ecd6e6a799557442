import { ROW_GROUPS } from './table.js';
import { visibilitySuite } from './visibility.js';

visibilitySuite('who sees what: emergency', ROW_GROUPS.emergency);

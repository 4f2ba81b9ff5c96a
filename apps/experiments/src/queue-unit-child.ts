// Entry of the child process in which `curvad worker` runs one queued unit (dist/queue-unit-child.js).
// It knows every task, as the app does; the core's queue code knows none.
import { serveUnitChild } from './core/queue/unit-child';
import { RUNNABLE_TASKS } from './tasks/registry';

serveUnitChild(RUNNABLE_TASKS);

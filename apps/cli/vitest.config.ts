import { project } from '../../vitest.shared.ts';

// No tfjs setup file: the CLI's own tests never touch tensors (the runs happen in child processes).
export default project('cli', { tfjs: false, timeoutMs: 300_000 });

import { project } from '../../vitest.shared.ts';

export default project('experiments', { timeoutMs: 300_000 });

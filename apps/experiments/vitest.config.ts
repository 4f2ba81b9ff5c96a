import { project } from '../../vitest.shared';

export default project('experiments', { timeoutMs: 300_000 });

import { project } from '../../vitest.shared.ts';

export default project('repo-checks', { tfjs: false });

import { project } from '../../vitest.shared.ts';

export default project('seeded-random', { tfjs: false });

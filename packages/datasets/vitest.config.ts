import { project } from '../../vitest.shared';

export default project('datasets', { tfjs: false });

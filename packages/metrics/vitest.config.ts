import { project } from '../../vitest.shared';

export default project('metrics', { tfjs: false });

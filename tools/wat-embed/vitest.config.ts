import { project } from '../../vitest.shared.ts';

export default project('wat-embed', { tfjs: false });

import { project } from '../../vitest.shared';

export default project('geo-layers');

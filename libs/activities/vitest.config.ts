import { retuneVitestConfig } from '../../vitest.shared';

export default retuneVitestConfig();

import { retuneVitestConfig, withTemporal } from '../../vitest.shared';

export default retuneVitestConfig(withTemporal);

import type { PrunerConfig } from '../spec/pruner-config';
import type { Pruner } from './types';

export interface ConfigurablePruner extends Pruner {
  toJSON(): PrunerConfig;
}

/** Never prunes. */
export class NopPruner implements ConfigurablePruner {
  shouldPrune(): boolean {
    return false;
  }
  toJSON(): PrunerConfig {
    return { type: 'nop' };
  }
}

import { HyperbandPruner } from './hyperband-pruner';
import { prunerConfigSchema, type PrunerConfigInput } from '../spec/pruner-config';
import { MedianPruner } from './median-pruner';
import { NopPruner, type ConfigurablePruner } from './pruners';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';

/** Builds a built-in pruner from its JSON config. */
export function createPruner(config: PrunerConfigInput): ConfigurablePruner {
  const c = prunerConfigSchema.parse(config);
  switch (c.type) {
    case 'nop':
      return new NopPruner();
    case 'median':
      return new MedianPruner(c);
    case 'successiveHalving':
      return new SuccessiveHalvingPruner(c);
    case 'hyperband':
      return new HyperbandPruner(c);
  }
}

import { expandGrid, GridError } from '../grid';
import type { Params, SearchSpace } from '../../spec/search-space';
import type { SampleContext } from '../types';
import type { ConfigurableSampler, SamplerConfig } from './sampler-config';

const grids = new WeakMap<SearchSpace, Params[]>();

/**
 * Trial N gets point N of the grid (`expandGrid` order: first parameter slowest, conditions
 * honoured). Asking past the end of the grid is an error: a grid has a fixed size.
 */
export class GridSampler implements ConfigurableSampler {
  sample({ space, number }: SampleContext): Params {
    let grid = grids.get(space);
    if (!grid) grids.set(space, (grid = expandGrid(space)));
    const point = grid[number];
    if (!point) {
      throw new GridError(`the grid has ${grid.length} points; there is no trial ${number}`);
    }
    return { ...point };
  }
  toJSON(): SamplerConfig {
    return { type: 'grid' };
  }
}

import { router } from '../../trpc';
import { cancel } from './cancel';
import { control } from './control';
import { curves } from './curves';
import { formOptions } from './form-options';
import { get } from './get';
import { importance } from './importance';
import { launch } from './launch';
import { list } from './list';
import { metrics } from './metrics';
import { pareto } from './pareto';
import { pbtFamily } from './pbt-family';
import { overview } from './overview';
import { trials } from './trials';
import { chartTrials } from './chart-trials';

export const sweepRouter = router({
  list,
  get,
  metrics,
  launch,
  cancel,
  control,
  importance,
  pareto,
  pbtFamily,
  curves,
  formOptions,
  overview,
  trials,
  chartTrials,
});

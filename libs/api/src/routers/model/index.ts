import { router } from '../../trpc';
import { baseModels } from './base-models';
import { card } from './card';
import { get } from './get';
import { history } from './history';
import { list } from './list';
import { promote } from './promote';
import { registerTrial } from './register-from-trial';

export const modelRouter = router({ list, get, promote, registerTrial, history, card, baseModels });

import { router } from '../../trpc';
import { get } from './get';
import { logs } from './logs';

export const trialRouter = router({ get, logs });

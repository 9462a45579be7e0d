import { router } from '../../trpc';
import { trials } from './trials';

export const compareRouter = router({ trials });

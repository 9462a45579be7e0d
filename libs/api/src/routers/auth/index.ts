import { router } from '../../trpc';
import { changePassword } from './change-password';
import { me } from './me';
import { promotionTasks } from './promotion-tasks';
import { signIn } from './sign-in';
import { signOut } from './sign-out';

export const authRouter = router({ signIn, signOut, me, changePassword, promotionTasks });

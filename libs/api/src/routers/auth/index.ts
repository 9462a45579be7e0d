import { router } from '../../trpc';
import { me } from './me';
import { signIn } from './sign-in';
import { signOut } from './sign-out';

export const authRouter = router({ signIn, signOut, me });

import { authRouter } from './routers/auth';
import { compareRouter } from './routers/compare';
import { sweepRouter } from './routers/sweep';
import { tokenRouter } from './routers/token';
import { trialRouter } from './routers/trial';
import { scheduleRouter } from './routers/schedule';
import { modelRouter } from './routers/model';
import { auditRouter } from './routers/audit';
import { trainerRouter } from './routers/trainer';
import { userRouter } from './routers/user';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  schedule: scheduleRouter,
  model: modelRouter,
  sweep: sweepRouter,
  trial: trialRouter,
  compare: compareRouter,
  auth: authRouter,
  token: tokenRouter,
  user: userRouter,
  trainer: trainerRouter,
  audit: auditRouter,
});
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

import { sweepRouter } from './routers/sweep';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({ sweep: sweepRouter });
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

import { tasksRouter } from "./tasks/router.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({ tasks: tasksRouter });

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server-side rendering, tests, the REST façade). */
export const createCaller = createCallerFactory(appRouter);

import type { TRPCBuiltRouter, TRPCDecorateCreateRouterOptions } from "@trpc/server";
import { tasksRouter } from "./tasks/router.ts";
import { createCallerFactory, createTRPCRouter, type TaskErrorShape } from "./trpc.ts";

const routes = { tasks: tasksRouter };

export const appRouter = createTRPCRouter(routes);

export type AppRouter = typeof appRouter;

/**
 * The router as a client sees it: the same procedures and error shape, without the
 * server's request context (database, auth), so a client's emitted declarations
 * reach none of the server's modules. test/client-router.types.ts keeps it equal to
 * AppRouter.
 */
export type ClientRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: TaskErrorShape; transformer: false },
  TRPCDecorateCreateRouterOptions<typeof routes>
>;

/** Calls procedures in-process (server-side rendering, tests, the REST façade). */
export const createCaller = createCallerFactory(appRouter);

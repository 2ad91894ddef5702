import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter, createCaller, type AppRouter, type ClientRouter } from "./root.ts";
export { createContext, type Context, type Logger, type ProcedureServices } from "./context.ts";
export * from "./errors/index.ts";
export * from "./schemas/task.ts";
export * from "./schemas/task-event.ts";
export type { TaskRow } from "./tasks/task-store.ts";
export { CODE_POINTS_PER_CHARACTER, userPerceivedLength } from "./schemas/text.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

import { createTRPCContext, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { QueryClient } from "@tanstack/react-query";
import type { FunctionComponent, ReactNode } from "react";
import type { AppRouter, TaskClient } from "./index.ts";

const context = createTRPCContext<AppRouter>();

/**
 * React Query bindings of the task procedures. Wrap the app in `TaskTRPCProvider`
 * with a client from `createTaskClient` and a QueryClient, then
 * `useQuery(useTaskTRPC().tasks.list.queryOptions({}))` in components.
 */
export const TaskTRPCProvider: FunctionComponent<{
  children: ReactNode;
  queryClient: QueryClient;
  trpcClient: TaskClient;
}> = context.TRPCProvider;
export const useTaskTRPC: () => TRPCOptionsProxy<AppRouter> = context.useTRPC;
export const useTaskClient: () => TaskClient = context.useTRPCClient;

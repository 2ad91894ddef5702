import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@tasks/api";

/**
 * React Query bindings of the task procedures. Wrap the app in `TaskTRPCProvider`
 * with a client from `createTaskClient` and a QueryClient, then
 * `useQuery(useTaskTRPC().tasks.list.queryOptions({}))` in components.
 */
export const {
  TRPCProvider: TaskTRPCProvider,
  useTRPC: useTaskTRPC,
  useTRPCClient: useTaskClient,
} = createTRPCContext<AppRouter>();

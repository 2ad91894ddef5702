import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import {
  createTRPCContext,
  useSubscription,
  type TRPCOptionsProxy,
} from "@trpc/tanstack-react-query";
import type { FunctionComponent, ReactNode } from "react";
import type { AppRouter, TaskClient } from "./index.ts";
import { applyTaskFeedEvent } from "./live-cache.ts";

export { applyTaskFeedEvent, type TaskQueryKeys } from "./live-cache.ts";

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

/**
 * Keeps every cached `tasks.list` page (and the other task queries) in step with
 * `tasks.onChange` while the component is mounted. Each (re)start refetches once,
 * since changes made before the stream opened are not on it; after that, events
 * patch the cache (docs/client.md).
 */
export function useTaskChanges(options: { enabled?: boolean } = {}) {
  const trpc = useTaskTRPC();
  const queryClient = useQueryClient();
  const keys = { list: trpc.tasks.list.pathKey(), tasks: trpc.tasks.pathKey() };
  return useSubscription(
    trpc.tasks.onChange.subscriptionOptions(undefined, {
      enabled: options.enabled ?? true,
      onStarted: () => void queryClient.invalidateQueries({ queryKey: keys.tasks }),
      onData: (tracked) => void applyTaskFeedEvent(queryClient, keys, tracked.data),
    }),
  );
}

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import {
  createTRPCContext,
  useSubscription,
  type TRPCOptionsProxy,
} from "@trpc/tanstack-react-query";
import { useEffect, useState, type FunctionComponent, type ReactNode } from "react";
import type { AppRouter, TaskClient } from "./index.ts";
import { createTaskFeedHandler } from "./live-cache.ts";

export {
  applyTaskFeedEvent,
  createTaskFeedHandler,
  type TaskFeedHandler,
  type TaskQueryKeys,
} from "./live-cache.ts";

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

/** How long `useTaskChanges` waits before opening the stream again after it failed. */
export const TASK_CHANGES_RESTART_MS = 3_000;

/**
 * Keeps every cached `tasks.list` page (and the other task queries) in step with
 * `tasks.onChange` while the component is mounted. Each (re)start refetches once,
 * since changes made before the stream opened are not on it; after that, events
 * patch the cache, except while a task mutation is pending (then one refetch
 * follows it). The EventSource reconnects by itself after a dropped connection;
 * a refused one (any status but 200) ends the subscription, so it is opened
 * again after `restartDelayMs` (docs/client.md).
 */
export function useTaskChanges(options: { enabled?: boolean; restartDelayMs?: number } = {}) {
  const trpc = useTaskTRPC();
  const queryClient = useQueryClient();
  const [feed] = useState(() =>
    createTaskFeedHandler(queryClient, {
      list: trpc.tasks.list.pathKey(),
      tasks: trpc.tasks.pathKey(),
    }),
  );
  const subscription = useSubscription(
    trpc.tasks.onChange.subscriptionOptions(undefined, {
      enabled: options.enabled ?? true,
      onStarted: feed.started,
      onData: (tracked) => feed.event(tracked.data),
    }),
  );
  const { status, reset } = subscription;
  const restartDelayMs = options.restartDelayMs ?? TASK_CHANGES_RESTART_MS;
  useEffect(() => {
    if (status !== "error") return;
    const timer = setTimeout(reset, restartDelayMs);
    return () => clearTimeout(timer);
  }, [status, reset, restartDelayMs]);
  return subscription;
}

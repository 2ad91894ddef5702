import { hashKey, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { Task, TaskFeedEvent, TaskPage } from "@tasks/api";

/** Where a list query's cache lives: `trpc.tasks.list.pathKey()` and `trpc.tasks.pathKey()`. */
export interface TaskQueryKeys {
  list: QueryKey;
  tasks: QueryKey;
}

/** The `status` a cached list query was made with (tRPC keys carry `{ input }` second). */
function statusOf(queryKey: QueryKey): string {
  const meta = queryKey[1] as { input?: { status?: string } } | undefined;
  return meta?.input?.status ?? "all";
}

function belongs(task: Task, status: string): boolean {
  return status === "all" || task.completed === (status === "completed");
}

function withoutTask(page: TaskPage, id: string): TaskPage {
  return { ...page, items: page.items.filter((item) => item.id !== id) };
}

/**
 * Applies one event of `tasks.onChange` to the cached list pages: an update
 * replaces the task where it is listed (or drops it from a status filter it left),
 * a deletion removes it. What the cache cannot place itself (a new task's position
 * in a sorted page, anything after `reset`) is refetched instead, as are the
 * other task queries (counts) after any change.
 */
export async function applyTaskFeedEvent(
  queryClient: QueryClient,
  keys: TaskQueryKeys,
  event: TaskFeedEvent,
): Promise<void> {
  if (event.type === "reset" || event.type === "created") {
    await queryClient.invalidateQueries({ queryKey: keys.tasks });
    return;
  }
  for (const [queryKey, page] of queryClient.getQueriesData<TaskPage>({ queryKey: keys.list })) {
    if (!page) continue;
    const listed = page.items.some((item) => item.id === event.id);
    if (!listed) continue;
    const next =
      event.type === "deleted" || !belongs(event.task, statusOf(queryKey))
        ? withoutTask(page, event.id)
        : { ...page, items: page.items.map((item) => (item.id === event.id ? event.task : item)) };
    queryClient.setQueryData(queryKey, next);
  }
  await queryClient.invalidateQueries({
    queryKey: keys.tasks,
    // tRPC keys start with the procedure's path: everything but the lists.
    predicate: (query) => hashKey(query.queryKey.slice(0, 1)) !== hashKey(keys.list),
  });
}

import { hashKey, type InfiniteData, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { Task, TaskFeedEvent, TaskPage } from "@tasks/api";

/** Where a list query's cache lives: `trpc.tasks.list.pathKey()` and `trpc.tasks.pathKey()`. */
export interface TaskQueryKeys {
  list: QueryKey;
  tasks: QueryKey;
}

/** A cached list: one page (`list.queryOptions`) or pages over the cursors (`useInfiniteQuery`). */
type ListData = TaskPage | InfiniteData<TaskPage, unknown>;

/** The input a cached list query was made with (tRPC keys carry `{ input }` second). */
function inputOf(queryKey: QueryKey): { status?: string; q?: string } {
  const meta = queryKey[1] as { input?: { status?: string; q?: string } } | undefined;
  return meta?.input ?? {};
}

function belongs(task: Task, status: string | undefined): boolean {
  return !status || status === "all" || task.completed === (status === "completed");
}

function pagesOf(data: ListData): TaskPage[] {
  return "pages" in data ? data.pages : [data];
}

function withItems(data: ListData, change: (items: Task[]) => Task[]): ListData {
  if (!("pages" in data)) return { ...data, items: change(data.items) };
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: change(page.items) })) };
}

/**
 * What one update or deletion does to one cached list: the new cache data, and
 * whether the list must be refetched because only the server can place the task
 * (it now belongs to a filter it was not listed in, or the list is a search).
 */
function changedList(
  data: ListData,
  queryKey: QueryKey,
  event: { id: string; version: number; task: Task | null },
): { data: ListData; refetch: boolean } {
  const { status, q } = inputOf(queryKey);
  const { task } = event;
  const listed = pagesOf(data)
    .flatMap((page) => page.items)
    .find((item) => item.id === event.id);
  if (!listed) return { data, refetch: task !== null && belongs(task, status) };
  // A stale event (this tab already shows a later version) changes nothing.
  if (event.version <= listed.version) return { data, refetch: false };
  const next = withItems(data, (items) =>
    task && belongs(task, status)
      ? items.map((item) => (item.id === task.id ? task : item))
      : items.filter((item) => item.id !== event.id),
  );
  return { data: next, refetch: task !== null && belongs(task, status) && Boolean(q) };
}

/**
 * Applies one event of `tasks.onChange` to the cached list pages (single pages and
 * infinite queries alike): an update replaces the task where it is listed (or drops
 * it from a status filter it left), a deletion removes it, and an event no newer
 * than the listed task's `version` is ignored. What the cache cannot place itself
 * (a new task's position in a sorted page, a task entering a filter or a search,
 * anything after `reset`) is refetched instead, as are the other task queries
 * (counts) after any change, and a list that was being fetched while the event
 * arrived (its answer may predate the event).
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
  const refetches: Promise<void>[] = [];
  for (const [queryKey, data] of queryClient.getQueriesData<ListData>({ queryKey: keys.list })) {
    if (!data) continue;
    const change = changedList(data, queryKey, event);
    if (change.data !== data) queryClient.setQueryData(queryKey, change.data);
    const fetching = queryClient.getQueryState(queryKey)?.fetchStatus === "fetching";
    if (change.refetch || fetching) {
      refetches.push(queryClient.invalidateQueries({ queryKey, exact: true }));
    }
  }
  refetches.push(
    queryClient.invalidateQueries({
      queryKey: keys.tasks,
      // tRPC keys start with the procedure's path: everything but the lists.
      predicate: (query) => hashKey(query.queryKey.slice(0, 1)) !== hashKey(keys.list),
    }),
  );
  await Promise.all(refetches);
}

/** What `useTaskChanges` does with the stream: what (re)starts it and what each event brings. */
export interface TaskFeedHandler {
  /** The stream (re)opened: what changed before it is not on it, so refetch. */
  started(): void;
  event(event: TaskFeedEvent): void;
}

/**
 * Feeds the stream into the cache, but never while a task mutation is pending: its
 * optimistic change is in the cache then, and an event (this tab's own echo, or
 * another device's change) or a refetch landing on it would put the server's
 * older state over it and make the row flicker back. Whatever arrives meanwhile
 * becomes one refetch of the task queries once no mutation is pending.
 */
export function createTaskFeedHandler(
  queryClient: QueryClient,
  keys: TaskQueryKeys,
): TaskFeedHandler {
  const mutating = () => queryClient.isMutating({ mutationKey: keys.tasks }) > 0;
  const refetchAll = () => void queryClient.invalidateQueries({ queryKey: keys.tasks });
  let deferred = false;
  function deferRefetch() {
    if (deferred) return;
    deferred = true;
    const unsubscribe = queryClient.getMutationCache().subscribe(() => {
      if (mutating()) return;
      unsubscribe();
      deferred = false;
      refetchAll();
    });
  }
  return {
    started: () => (mutating() ? deferRefetch() : refetchAll()),
    event: (event) =>
      mutating() ? deferRefetch() : void applyTaskFeedEvent(queryClient, keys, event),
  };
}

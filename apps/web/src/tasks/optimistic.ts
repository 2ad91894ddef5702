import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";
import type { RouterInputs, Task, TaskCounts, TaskPage } from "@tasks/client";

export type ListInput = RouterInputs["tasks"]["list"];
type Pages = InfiniteData<TaskPage, string | undefined>;

/** A change to one cached page of one list: its tasks, the list's input, the page's index. */
export type ListChange = (tasks: Task[], input: ListInput, pageIndex: number) => Task[];

/** A change to the cached counts ("N items left"). */
export type CountsChange = (counts: TaskCounts) => TaskCounts;

/** What every cached list and count held before a change, to put back if the server refuses it. */
export type Snapshot = [QueryKey, unknown][];

/** tRPC's query keys are `[path, { input, type }]`. */
function inputOf(key: QueryKey): ListInput {
  const meta = key[1] as { input?: ListInput } | undefined;
  return meta?.input ?? {};
}

/** Applies a change to every cached task list at once (all filters and searches). */
export async function changeLists(
  queryClient: QueryClient,
  listKey: QueryKey,
  change: ListChange,
): Promise<Snapshot> {
  await queryClient.cancelQueries({ queryKey: listKey });
  const snapshot = queryClient.getQueriesData<Pages>({ queryKey: listKey });
  for (const [key, data] of snapshot) {
    if (!data) continue;
    const input = inputOf(key);
    const pages = data.pages.map((page, index) => ({
      ...page,
      items: change(page.items, input, index),
    }));
    queryClient.setQueryData<Pages>(key, { ...data, pages });
  }
  return snapshot;
}

/** Applies a change to the cached counts; the refetch after the write brings the truth. */
export async function changeCounts(
  queryClient: QueryClient,
  countsKey: QueryKey,
  change: CountsChange,
): Promise<Snapshot> {
  await queryClient.cancelQueries({ queryKey: countsKey });
  const snapshot = queryClient.getQueriesData<TaskCounts>({ queryKey: countsKey });
  for (const [key, counts] of snapshot) {
    if (counts) queryClient.setQueryData<TaskCounts>(key, change(counts));
  }
  return snapshot;
}

export function restoreLists(queryClient: QueryClient, snapshot: Snapshot): void {
  for (const [key, data] of snapshot) queryClient.setQueryData(key, data);
}

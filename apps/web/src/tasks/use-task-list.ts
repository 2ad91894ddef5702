"use client";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { TaskPage } from "@tasks/client";
import { useTaskClient, useTaskTRPC } from "@tasks/client/react";
import { listInput, type ListView } from "./filters";
import { problemOf } from "./problems";

const OFFLINE_POLL_MS = 2_000;

/**
 * The list of the URL's view, page by page over the API's keyset cursors. Not
 * tRPC's infiniteQueryOptions: it adds a `direction` field to the input, which the
 * list's strict input refuses as unknown. The key is tRPC's, so invalidating
 * `tasks.list` reaches these lists too.
 */
export function useTaskList(view: ListView, firstPage: TaskPage | undefined) {
  const trpc = useTaskTRPC();
  const client = useTaskClient();
  const input = listInput(view);
  return useInfiniteQuery({
    queryKey: trpc.tasks.list.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) =>
      client.tasks.list.query(pageParam ? { ...input, cursor: pageParam } : input, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A new filter or search keeps showing the last list until its own first page arrives.
    placeholderData: keepPreviousData,
    ...(firstPage ? { initialData: { pages: [firstPage], pageParams: [undefined] } } : {}),
    // While the API cannot be reached, keep asking, so the list comes back on its own.
    refetchInterval: (query) =>
      problemOf(query.state.error) === "offline" ? OFFLINE_POLL_MS : false,
  });
}

/**
 * How many tasks the user has, in all and per status: "N items left", and whether
 * "toggle all" and "clear completed" apply (they act on every task, not one search).
 */
export function useTaskCounts() {
  const trpc = useTaskTRPC();
  const counts = useQuery({
    ...trpc.tasks.counts.queryOptions({}),
    placeholderData: keepPreviousData,
  });
  return counts.data;
}

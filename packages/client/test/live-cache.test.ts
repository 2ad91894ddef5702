import { QueryClient, type InfiniteData } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { describe, expect, it } from "vitest";
import { createTaskClient, type AppRouter, type Task, type TaskPage } from "../src/index.ts";
import { applyTaskFeedEvent, createTaskFeedHandler } from "../src/react.ts";

function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    title: `task ${id}`,
    description: null,
    completed: false,
    version: 1,
    createdAt: "2026-12-01T00:00:00.000Z",
    updatedAt: "2026-12-01T00:00:00.000Z",
    ...fields,
  };
}

const A = "00000000-0000-7000-8000-00000000000a";
const B = "00000000-0000-7000-8000-00000000000b";
const C = "00000000-0000-7000-8000-00000000000c";

/** A QueryClient holding an "all" and a "pending" list page, keyed as the React bindings key them. */
function cacheWithLists() {
  const queryClient = new QueryClient();
  const client = createTaskClient({ url: "http://127.0.0.1:1/trpc", getToken: () => null });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });
  const all = trpc.tasks.list.queryKey({});
  const pending = trpc.tasks.list.queryKey({ status: "pending" });
  const page: TaskPage = { items: [task(A), task(B)], nextCursor: null };
  queryClient.setQueryData(all, page);
  queryClient.setQueryData(pending, page);
  // The web app's lists: pages over the cursors, as useInfiniteQuery caches them.
  const pages = trpc.tasks.list.infiniteQueryKey({ status: "completed" });
  queryClient.setQueryData<InfiniteData<TaskPage>>(pages, {
    pages: [
      { items: [task(B, { completed: true })], nextCursor: "next" },
      { items: [task(C, { completed: true })], nextCursor: null },
    ],
    pageParams: [undefined, "next"],
  });
  const searched = trpc.tasks.list.queryKey({ q: "task" });
  queryClient.setQueryData(searched, page);
  const counts = trpc.tasks.counts.queryKey({});
  queryClient.setQueryData(counts, { all: 2, pending: 2, completed: 0 });
  const keys = { list: trpc.tasks.list.pathKey(), tasks: trpc.tasks.pathKey() };
  const ids = (key: typeof all) =>
    queryClient.getQueryData<TaskPage>(key)?.items.map((item) => item.id);
  const pageIds = () =>
    queryClient
      .getQueryData<InfiniteData<TaskPage>>(pages)
      ?.pages.map((one) => one.items.map((item) => item.id));
  const stale = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated;
  return {
    queryClient,
    client,
    trpc,
    keys,
    all,
    pending,
    pages,
    searched,
    counts,
    ids,
    pageIds,
    stale,
  };
}

describe("applyTaskFeedEvent", () => {
  it("replaces an updated task where it is listed, and drops it from a filter it left", async () => {
    const { queryClient, keys, all, pending, ids } = cacheWithLists();
    const done = task(A, { completed: true, title: "done" });
    await applyTaskFeedEvent(queryClient, keys, { type: "updated", id: A, version: 2, task: done });
    expect(queryClient.getQueryData<TaskPage>(all)?.items[0]).toEqual(done);
    expect(ids(pending)).toEqual([B]);
  });

  it("removes a deleted task from every list", async () => {
    const { queryClient, keys, all, pending, ids } = cacheWithLists();
    await applyTaskFeedEvent(queryClient, keys, { type: "deleted", id: B, version: 3, task: null });
    expect(ids(all)).toEqual([A]);
    expect(ids(pending)).toEqual([A]);
  });

  it("marks the lists stale for a new task or a reset, leaving their data until refetched", async () => {
    for (const event of [
      { type: "created", id: C, version: 1, task: task(C) },
      { type: "reset" },
    ] as const) {
      const { queryClient, keys, all, ids } = cacheWithLists();
      await applyTaskFeedEvent(queryClient, keys, event);
      expect(queryClient.getQueryState(all)?.isInvalidated).toBe(true);
      expect(ids(all)).toEqual([A, B]);
    }
  });

  it("leaves lists that do not hold the task alone", async () => {
    const { queryClient, keys, all } = cacheWithLists();
    const before = queryClient.getQueryData(all);
    const other = "00000000-0000-7000-8000-00000000000d";
    await applyTaskFeedEvent(queryClient, keys, {
      type: "deleted",
      id: other,
      version: 2,
      task: null,
    });
    expect(queryClient.getQueryData(all)).toBe(before);
    expect(queryClient.getQueryState(all)?.isInvalidated).toBe(false);
  });
  it("updates and deletes inside pages over the cursors (infinite queries)", async () => {
    const { queryClient, keys, pageIds } = cacheWithLists();
    const reopened = task(B, { completed: false, version: 2 });
    await applyTaskFeedEvent(queryClient, keys, {
      type: "updated",
      id: B,
      version: 2,
      task: reopened,
    });
    expect(pageIds()).toEqual([[], [C]]);
    await applyTaskFeedEvent(queryClient, keys, { type: "deleted", id: C, version: 2, task: null });
    expect(pageIds()).toEqual([[], []]);
  });

  it("ignores an event no newer than the version the list shows", async () => {
    const { queryClient, keys, all } = cacheWithLists();
    const newer = task(A, { title: "newer", version: 3 });
    await applyTaskFeedEvent(queryClient, keys, {
      type: "updated",
      id: A,
      version: 3,
      task: newer,
    });
    const late = task(A, { title: "older", version: 2 });
    await applyTaskFeedEvent(queryClient, keys, { type: "updated", id: A, version: 2, task: late });
    expect(queryClient.getQueryData<TaskPage>(all)?.items[0]).toEqual(newer);
  });

  it("refetches a list a task enters, a search it changed in, and the counts", async () => {
    const { queryClient, keys, all, pending, pages, searched, counts, stale } = cacheWithLists();
    const done = task(A, { completed: true, version: 2 });
    await applyTaskFeedEvent(queryClient, keys, { type: "updated", id: A, version: 2, task: done });
    // Only the server knows where A goes among the completed tasks, or whether it still matches.
    expect([stale(pages), stale(searched), stale(counts)]).toEqual([true, true, true]);
    expect([stale(all), stale(pending)]).toEqual([false, false]);
  });

  it("holds the stream back while a task mutation is pending, then refetches once", async () => {
    const { queryClient, trpc, keys, all, stale } = cacheWithLists();
    const before = queryClient.getQueryData(all);
    const feed = createTaskFeedHandler(queryClient, keys);
    let settle = () => {};
    const mutation = queryClient
      .getMutationCache()
      .build(queryClient, {
        mutationKey: trpc.tasks.create.mutationKey(),
        mutationFn: () => new Promise<void>((resolve) => (settle = resolve)),
      })
      .execute(undefined);
    await Promise.resolve();
    const echo = task(A, { title: "echo", version: 2 });
    feed.event({ type: "updated", id: A, version: 2, task: echo });
    feed.started();
    // The optimistic cache stays as it is while the mutation runs.
    expect(queryClient.getQueryData(all)).toBe(before);
    expect(stale(all)).toBe(false);
    settle();
    await mutation;
    expect(stale(all)).toBe(true);
  });
});

import { QueryClient } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { describe, expect, it } from "vitest";
import { createTaskClient, type AppRouter, type Task, type TaskPage } from "../src/index.ts";
import { applyTaskFeedEvent } from "../src/react.ts";

function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    title: `task ${id}`,
    description: null,
    completed: false,
    createdAt: "2026-12-01T00:00:00.000Z",
    updatedAt: "2026-12-01T00:00:00.000Z",
    ...fields,
  } as Task;
}

const A = "00000000-0000-7000-8000-00000000000a";
const B = "00000000-0000-7000-8000-00000000000b";

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
  const keys = { list: trpc.tasks.list.pathKey(), tasks: trpc.tasks.pathKey() };
  const ids = (key: typeof all) =>
    queryClient.getQueryData<TaskPage>(key)?.items.map((item) => item.id);
  return { queryClient, keys, all, pending, ids };
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
      { type: "created", id: "00000000-0000-7000-8000-00000000000c", version: 1, task: task("c") },
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
});

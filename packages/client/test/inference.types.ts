// Type-level tests: checked by `pnpm typecheck` (tsc), never executed. A change that
// breaks what consumers infer from the router fails the workspace typecheck here.
import { expectTypeOf } from "vitest";
import { createTaskClient, type RouterInputs, type TaskClient } from "@tasks/client";
import { useTaskTRPC } from "@tasks/client/react";

interface ExpectedTask {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Resolved<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

expectTypeOf(createTaskClient).returns.toEqualTypeOf<TaskClient>();

declare const client: TaskClient;

// The output of every procedure.
expectTypeOf<Resolved<typeof client.tasks.get.query>>().toEqualTypeOf<ExpectedTask>();
expectTypeOf<Resolved<typeof client.tasks.create.mutate>>().toEqualTypeOf<ExpectedTask>();
expectTypeOf<Resolved<typeof client.tasks.update.mutate>>().toEqualTypeOf<ExpectedTask>();
expectTypeOf<Resolved<typeof client.tasks.toggle.mutate>>().toEqualTypeOf<ExpectedTask>();
expectTypeOf<Resolved<typeof client.tasks.delete.mutate>>().toEqualTypeOf<null>();
expectTypeOf<Resolved<typeof client.tasks.list.query>>().toEqualTypeOf<{
  items: ExpectedTask[];
  nextCursor: string | null;
}>();

expectTypeOf<Resolved<typeof client.tasks.counts.query>>().toEqualTypeOf<{
  all: number;
  pending: number;
  completed: number;
}>();
expectTypeOf<Resolved<typeof client.tasks.updateMany.mutate>>().toEqualTypeOf<{
  updated: number;
}>();
expectTypeOf<Resolved<typeof client.tasks.deleteMany.mutate>>().toEqualTypeOf<{
  deleted: number;
}>();

// The React bindings infer the same: query data and mutation variables.
export function useReactBindings() {
  const trpc = useTaskTRPC();
  expectTypeOf(trpc.tasks.counts.queryOptions({}).queryFn).returns.resolves.toEqualTypeOf<{
    all: number;
    pending: number;
    completed: number;
  }>();
  expectTypeOf(trpc.tasks.deleteMany.mutationOptions().mutationFn)
    .parameter(0)
    .toEqualTypeOf<{ status: "all" | "pending" | "completed" }>();
  expectTypeOf(trpc.tasks.updateMany.mutationOptions().mutationFn)
    .parameter(0)
    .toEqualTypeOf<{ completed: boolean }>();
}

// Timestamps are strings, as they are on the wire: no Date that would be a string at run time.
expectTypeOf<ExpectedTask["createdAt"]>().not.toEqualTypeOf<Date>();

// Inputs: what callers may leave out, and what they must give.
expectTypeOf<RouterInputs["tasks"]["create"]>().toEqualTypeOf<{
  title: string;
  description?: string | null | undefined;
  completed?: boolean | undefined;
  idempotencyKey?: string | undefined;
}>();
expectTypeOf<RouterInputs["tasks"]["list"]>().toEqualTypeOf<{
  status?: "all" | "pending" | "completed" | undefined;
  sort?: "createdAt" | "updatedAt" | "title" | undefined;
  order?: "desc" | "asc" | undefined;
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}>();
expectTypeOf<RouterInputs["tasks"]["get"]>().toEqualTypeOf<{ id: string }>();
expectTypeOf<RouterInputs["tasks"]["toggle"]>().toEqualTypeOf<{
  id: string;
  expectedVersion?: number | undefined;
}>();
expectTypeOf<RouterInputs["tasks"]["delete"]>().toEqualTypeOf<{
  id: string;
  expectedVersion?: number | undefined;
}>();
expectTypeOf<RouterInputs["tasks"]["update"]>().toEqualTypeOf<{
  id: string;
  expectedVersion?: number | undefined;
  title?: string | undefined;
  description?: string | null | undefined;
  completed?: boolean | undefined;
}>();
expectTypeOf<RouterInputs["tasks"]["counts"]>().toEqualTypeOf<{ q?: string | undefined }>();
expectTypeOf<RouterInputs["tasks"]["updateMany"]>().toEqualTypeOf<{ completed: boolean }>();
expectTypeOf<RouterInputs["tasks"]["deleteMany"]>().toEqualTypeOf<{
  status: "all" | "pending" | "completed";
}>();

export function wrongInputsDoNotCompile(): void {
  // @ts-expect-error the title is required
  void client.tasks.create.mutate({});
  // @ts-expect-error the title is a string
  void client.tasks.create.mutate({ title: 42 });
  // @ts-expect-error the owner comes from the token, never from the input
  void client.tasks.create.mutate({ title: "x", userId: "someone" });
  // @ts-expect-error the id is required
  void client.tasks.get.query({});
  // @ts-expect-error the id is a string
  void client.tasks.delete.mutate({ id: 7 });
  // @ts-expect-error not a status
  void client.tasks.list.query({ status: "done" });
  // @ts-expect-error the limit is a number
  void client.tasks.list.query({ limit: "20" });
  // @ts-expect-error completed is a boolean
  void client.tasks.update.mutate({ id: "x", completed: "yes" });
  // @ts-expect-error toggle takes no fields besides the id
  void client.tasks.toggle.mutate({ id: "x", completed: true });
  // @ts-expect-error the expected version is a number
  void client.tasks.toggle.mutate({ id: "x", expectedVersion: '"3"' });
  // @ts-expect-error clear completed needs a status: nothing is deleted by omission
  void client.tasks.deleteMany.mutate({});
  // @ts-expect-error toggle all sets completed only
  void client.tasks.updateMany.mutate({ completed: true, title: "all" });
  // @ts-expect-error counts is a query
  void client.tasks.counts.mutate({});
  // @ts-expect-error list is a query, not a mutation
  void client.tasks.list.mutate({});
}

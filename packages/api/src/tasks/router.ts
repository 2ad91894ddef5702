import { tracked, type TRPCRouterRecord } from "@trpc/server";
import { problem, trpcErrorOf } from "../errors/problem.ts";
import { openTaskFeed, streamStart } from "../live/change-feed.ts";
import { onChangeInput } from "../schemas/task-event.ts";
import {
  conditionalTaskInput,
  createTaskInput,
  deleteManyTasksQuery,
  getTaskInput,
  listTasksQuery,
  taskCountsQuery,
  type TaskPage,
  updateManyTasksBody,
  updateTaskInput,
  type Task,
  type TaskCounts,
} from "../schemas/task.ts";
import { protectedProcedure, type ProtectedContext } from "../trpc.ts";
import { createTaskOnce } from "./keyed-create.ts";
import { notWritten, unreachable } from "./task-errors.ts";
import { toTask } from "./task-output.ts";
import type { TaskRow, TaskStore } from "./task-store.ts";

async function written(tasks: TaskStore, id: string, row: TaskRow | null): Promise<Task> {
  if (row) return toTask(row);
  throw await notWritten(tasks, id);
}

/**
 * The user's changes after `lastEventId`, as tRPC's tracked events. The feed (and
 * its stream slot) opens on the first read, so a stream that is never read holds
 * no slot.
 */
async function* changesAfter(ctx: ProtectedContext, lastEventId: string, clientGone: AbortSignal) {
  const feed = openTaskFeed(ctx, ctx.user, lastEventId, clientGone);
  if (!feed) throw trpcErrorOf(problem("tooManyStreams", { max: ctx.live.streams.maxPerUser }));
  for await (const item of feed) yield tracked(item.id, item.event);
  // The token expired or the server is shutting down. Ending without tRPC's
  // "return" event makes the client's EventSource reconnect (with a fresh
  // token, to another instance) and resume after the last id.
  if (!clientGone.aborted) throw new DOMException("Reconnect to resume.", "AbortError");
}

/**
 * No `.output()` schemas: every procedure returns what `toTask` builds, whose type
 * is `Task`, so the compiler already guarantees the shape. Parsing each response
 * with zod again (a UUID and two datetime patterns per task, 20 tasks a page) was
 * repeated work on every call (docs/benchmarks.md); the REST façade's response
 * schemas still decide which fields leave the server.
 */
export const tasksRouter = {
  list: protectedProcedure
    .input(listTasksQuery)
    .query(async ({ ctx, input }): Promise<TaskPage> => {
      const page = await ctx.tasks.list(input);
      return { items: page.rows.map(toTask), nextCursor: page.nextCursor };
    }),

  counts: protectedProcedure
    .input(taskCountsQuery)
    .query(async ({ ctx, input }): Promise<TaskCounts> => ctx.tasks.counts(input.q)),

  create: protectedProcedure
    .input(createTaskInput)
    .mutation(async ({ ctx, input: { idempotencyKey, ...fields } }) =>
      idempotencyKey === undefined
        ? toTask(await ctx.tasks.create(fields))
        : createTaskOnce(ctx, fields, idempotencyKey),
    ),

  get: protectedProcedure.input(getTaskInput).query(async ({ ctx, input }) => {
    const row = await ctx.tasks.find(input.id);
    if (row) return toTask(row);
    throw await unreachable(ctx.tasks, input.id);
  }),

  update: protectedProcedure
    .input(updateTaskInput)
    .mutation(async ({ ctx, input: { id, expectedVersion, ...changes } }) =>
      written(ctx.tasks, id, await ctx.tasks.update(id, changes, expectedVersion)),
    ),

  // Resolves to null: JSON has no "nothing", and a void output would infer as `never`.
  delete: protectedProcedure
    .input(conditionalTaskInput)
    .mutation(async ({ ctx, input }): Promise<null> => {
      if (!(await ctx.tasks.delete(input.id, input.expectedVersion))) {
        throw await notWritten(ctx.tasks, input.id);
      }
      return null;
    }),

  toggle: protectedProcedure
    .input(conditionalTaskInput)
    .mutation(async ({ ctx, input }) =>
      written(ctx.tasks, input.id, await ctx.tasks.toggle(input.id, input.expectedVersion)),
    ),

  updateMany: protectedProcedure
    .input(updateManyTasksBody)
    .mutation(async ({ ctx, input }) => ({ updated: await ctx.tasks.updateMany(input.completed) })),

  deleteMany: protectedProcedure
    .input(deleteManyTasksQuery)
    .mutation(async ({ ctx, input }) => ({ deleted: await ctx.tasks.deleteMany(input.status) })),

  onChange: protectedProcedure.input(onChangeInput).subscription(async ({ ctx, input, signal }) => {
    const lastEventId = await streamStart(ctx.db, ctx.user.id, input?.lastEventId);
    return changesAfter(ctx, lastEventId, signal ?? new AbortController().signal);
  }),
} satisfies TRPCRouterRecord;

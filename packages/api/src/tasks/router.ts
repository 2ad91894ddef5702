import type { TRPCError, TRPCRouterRecord } from "@trpc/server";
import { problem, trpcErrorOf } from "../errors/problem.ts";
import {
  createTaskBody,
  listTasksQuery,
  taskIdParams,
  type TaskPage,
  toggleTaskBody,
  updateTaskInput,
  type Task,
} from "../schemas/task.ts";
import { protectedProcedure } from "../trpc.ts";
import type { TaskRow, TaskStore } from "./task-store.ts";

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A task the caller cannot reach: someone else's (403) or nobody's (404). */
async function unreachable(tasks: TaskStore, id: string): Promise<TRPCError> {
  return (await tasks.existsForAnotherUser(id))
    ? trpcErrorOf(problem("forbidden"))
    : trpcErrorOf(problem("taskNotFound"));
}

async function found(tasks: TaskStore, id: string, row: TaskRow | null): Promise<Task> {
  if (row) return toTask(row);
  throw await unreachable(tasks, id);
}

const taskIdInput = taskIdParams;
const toggleInput = taskIdParams.extend(toggleTaskBody.shape);

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

  create: protectedProcedure
    .input(createTaskBody)
    .mutation(async ({ ctx, input }) => toTask(await ctx.tasks.create(input))),

  get: protectedProcedure
    .input(taskIdInput)
    .query(async ({ ctx, input }) => found(ctx.tasks, input.id, await ctx.tasks.find(input.id))),

  update: protectedProcedure
    .input(updateTaskInput)
    .mutation(async ({ ctx, input: { id, ...changes } }) =>
      found(ctx.tasks, id, await ctx.tasks.update(id, changes)),
    ),

  // Resolves to null: JSON has no "nothing", and a void output would infer as `never`.
  delete: protectedProcedure.input(taskIdInput).mutation(async ({ ctx, input }): Promise<null> => {
    if (!(await ctx.tasks.delete(input.id))) throw await unreachable(ctx.tasks, input.id);
    return null;
  }),

  toggle: protectedProcedure
    .input(toggleInput)
    .mutation(async ({ ctx, input }) =>
      found(ctx.tasks, input.id, await ctx.tasks.toggle(input.id)),
    ),
} satisfies TRPCRouterRecord;

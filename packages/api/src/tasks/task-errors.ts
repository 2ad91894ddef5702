import type { TRPCError } from "@trpc/server";
import { problem, trpcErrorOf } from "../errors/problem.ts";
import type { TaskStore } from "./task-store.ts";

/** A task the caller cannot reach: someone else's (403) or nobody's (404). */
export async function unreachable(tasks: TaskStore, id: string): Promise<TRPCError> {
  return (await tasks.existsForAnotherUser(id))
    ? trpcErrorOf(problem("forbidden"))
    : trpcErrorOf(problem("taskNotFound"));
}

/**
 * Why a write of one task changed nothing, in the contract's order of checks:
 * unreachable (403/404) before a version mismatch (412).
 */
export async function notWritten(tasks: TaskStore, id: string): Promise<TRPCError> {
  if (!(await tasks.find(id))) return unreachable(tasks, id);
  return trpcErrorOf(problem("preconditionFailed"));
}

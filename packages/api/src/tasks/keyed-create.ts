import { createHash } from "node:crypto";
import { problem, trpcErrorOf } from "../errors/problem.ts";
import type { ProtectedContext } from "../trpc.ts";
import type { Task } from "../schemas/task.ts";
import { toTask } from "./task-output.ts";
import type { NewTask } from "./task-store.ts";

/**
 * What a create means once parsed (trimmed title, empty description as null,
 * defaults applied), so the same request sent to either surface, or with
 * insignificant differences, is recognised as a retry.
 */
export function fingerprintOf(fields: NewTask): string {
  const meaning = [fields.title, fields.description ?? null, fields.completed ?? false];
  return createHash("sha256").update(JSON.stringify(meaning)).digest("hex");
}

/** A create under an idempotency key: created once, then the first answer replayed. */
export async function createTaskOnce(
  ctx: ProtectedContext,
  fields: NewTask,
  key: string,
): Promise<Task> {
  const result = await ctx.tasks.createOnce(fields, { key, fingerprint: fingerprintOf(fields) });
  switch (result.outcome) {
    case "created":
      return toTask(result.row);
    case "replayed":
      ctx.onIdempotentReplay?.();
      return toTask(result.row);
    case "key-reused":
      throw trpcErrorOf(problem("idempotencyKeyReused"));
    case "in-flight":
      throw trpcErrorOf(problem("idempotencyKeyInFlight"));
  }
}

import { z } from "zod";
import { taskSchema } from "./task.ts";

export const taskChangeTypes = ["created", "updated", "deleted"] as const;
export type TaskChangeType = (typeof taskChangeTypes)[number];

/**
 * One change to one of the caller's tasks. `version` is the task's version after
 * the change; for a deletion, its last version + 1.
 */
export const taskChangeSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.enum(["created", "updated"]),
    id: z.uuid(),
    version: z.int(),
    task: taskSchema,
  }),
  z.object({ type: z.literal("deleted"), id: z.uuid(), version: z.int(), task: z.null() }),
]);
export type TaskChange = z.infer<typeof taskChangeSchema>;

/** Events the stream may have missed (purged, or an id it does not know): refetch. */
export const resetEventSchema = z.object({ type: z.literal("reset") });
export type ResetEvent = z.infer<typeof resetEventSchema>;

export const taskFeedEventSchema = z.union([taskChangeSchema, resetEventSchema]);
export type TaskFeedEvent = z.infer<typeof taskFeedEventSchema>;

/**
 * `tasks.onChange` input. `lastEventId` is the id of the last event seen (tRPC's
 * client sends it when it reconnects); an id the server cannot resume from gets
 * a `reset` event rather than an error, since refetching is the only way on.
 */
export const onChangeInput = z
  .strictObject({
    lastEventId: z.string().max(64, { message: "The event id is invalid." }).nullish(),
  })
  .optional();
export type OnChangeInput = z.input<typeof onChangeInput>;

import { z } from "zod";
import { CURSOR_MAX_LENGTH, INVALID_CURSOR, isValidCursor } from "../tasks/cursor.ts";
import { boundedText } from "./text.ts";

import { DESCRIPTION_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TITLE_MAX } from "./limits.ts";

export { DESCRIPTION_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TITLE_MAX };

export const taskIdSchema = z.uuid({ message: "The id must be a UUID." });

const title = z
  .string({ message: "Title must be a string." })
  .trim()
  .refine((text) => text.length > 0, { message: "Title must not be empty.", abort: true })
  .pipe(boundedText("Title", TITLE_MAX));

const description = boundedText("Description", DESCRIPTION_MAX)
  .nullable()
  .transform((text) => (text === "" ? null : text));

const completed = z.boolean({ message: "Completed must be true or false." });

/** A task as both surfaces return it; timestamps are ISO 8601 strings in UTC. */
export const taskSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Task = z.infer<typeof taskSchema>;

/** The path part of every route that names one task. */
export const taskIdParams = z.strictObject({ id: taskIdSchema });

export const createTaskBody = z.strictObject({
  title,
  description: description.optional(),
  completed: completed.optional(),
});
export type CreateTaskInput = z.input<typeof createTaskBody>;

const updateFields = {
  title: title.optional(),
  description: description.optional(),
  completed: completed.optional(),
};
const hasAnyField = (fields: Record<string, unknown>) =>
  Object.values(fields).some((value) => value !== undefined);
const noFieldMessage = { message: "Give at least one of title, description or completed." };

export const updateTaskBody = z.strictObject(updateFields).refine(hasAnyField, noFieldMessage);
export const updateTaskInput = z
  .strictObject({ id: taskIdSchema, ...updateFields })
  .refine(({ id: _id, ...fields }) => hasAnyField(fields), noFieldMessage);
export type UpdateTaskInput = z.input<typeof updateTaskInput>;

/** `toggle` takes no fields besides the id: any other is an unknown field. */
export const toggleTaskBody = z.strictObject({});

export const taskStatusSchema = z.enum(["all", "pending", "completed"]);
export const taskSortSchema = z.enum(["createdAt", "updatedAt", "title"]);
export const sortOrderSchema = z.enum(["desc", "asc"]);

/** The fields of `list`'s query, for schemas that share some of them. */
export const listTasksFields = {
  status: taskStatusSchema.default("all"),
  sort: taskSortSchema.default("createdAt"),
  order: sortOrderSchema.default("desc"),
  q: z
    .string({ message: "The search text must be a string." })
    .trim()
    .pipe(boundedText("The search text", TITLE_MAX))
    .optional(),
  // Coerced so that the REST query string and a typed tRPC call share one rule.
  limit: z.coerce
    .number<number>({ message: "Limit must be a number." })
    .int({ message: "Limit must be a whole number." })
    .min(1, { message: `Limit must be between 1 and ${PAGE_SIZE_MAX}.` })
    .max(PAGE_SIZE_MAX, { message: `Limit must be between 1 and ${PAGE_SIZE_MAX}.` })
    .default(PAGE_SIZE_DEFAULT),
  cursor: z
    .string({ message: "The cursor must be a string." })
    .max(CURSOR_MAX_LENGTH, { message: INVALID_CURSOR })
    .optional(),
};

/** A cursor is checked against the sort it was made for, so a bad one is a 422 here. */
export const listTasksQuery = z.strictObject(listTasksFields).superRefine((query, context) => {
  const { cursor } = query;
  // An over-long cursor already has its issue.
  if (cursor !== undefined && cursor.length <= CURSOR_MAX_LENGTH && !isValidCursor(query, cursor)) {
    context.addIssue({ code: "custom", path: ["cursor"], message: INVALID_CURSOR });
  }
});
export type ListTasksInput = z.input<typeof listTasksQuery>;
export type ListTasksQuery = z.output<typeof listTasksQuery>;

export const taskPageSchema = z.object({
  items: z.array(taskSchema),
  nextCursor: z.string().nullable(),
});
export type TaskPage = z.infer<typeof taskPageSchema>;

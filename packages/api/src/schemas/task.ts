import { z } from "zod";
import { CURSOR_MAX_LENGTH, INVALID_CURSOR, isValidCursor } from "../tasks/cursor.ts";
import { boundedText, textLengthMeta } from "./text.ts";

import { DESCRIPTION_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TITLE_MAX } from "./limits.ts";

export { DESCRIPTION_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TITLE_MAX };
/** The largest `version` a task can reach (the column is a PostgreSQL integer). */
export const VERSION_MAX = 2_147_483_647;
export const IDEMPOTENCY_KEY_MAX = 255;

/** A UUID's text: 32 hex digits in five hyphenated groups. */
export const UUID_TEXT_LENGTH = 36;
const uuidLength = { maxLength: UUID_TEXT_LENGTH };

export const taskIdSchema = z.uuid({ message: "The id must be a UUID." }).meta(uuidLength);

/** JSON Schema's `\S`, like `trim()`, knows white space as ECMAScript defines it. */
const titleMeta = {
  ...textLengthMeta(TITLE_MAX),
  minLength: 1,
  pattern: "\\S",
  description: `Trimmed; must hold more than white space. ${textLengthMeta(TITLE_MAX).description}`,
  examples: ["Buy milk"],
};

const title = z
  .string({ message: "Title must be a string." })
  .trim()
  .refine((text) => text.length > 0, { message: "Title must not be empty.", abort: true })
  .pipe(boundedText("Title", TITLE_MAX))
  .meta(titleMeta);

const description = boundedText("Description", DESCRIPTION_MAX)
  .meta({ examples: ["Semi-skimmed, two litres"] })
  .nullable()
  .transform((text) => (text === "" ? null : text));

const completed = z.boolean({ message: "Completed must be true or false." });

const timestamp = z.iso
  .datetime({ precision: 3 })
  .meta({ maxLength: new Date(0).toISOString().length });

const version = z.int().min(1).max(VERSION_MAX);

/** The version a write expects the task to have; a mismatch is PRECONDITION_FAILED. */
const expectedVersion = z
  .int({ message: "The expected version must be a whole number." })
  .min(1, { message: `The expected version must be between 1 and ${VERSION_MAX}.` })
  .max(VERSION_MAX, { message: `The expected version must be between 1 and ${VERSION_MAX}.` })
  .optional();

/**
 * Printable ASCII without space at either end (HTTP would trim it), so one key
 * means the same sent as a header or as a tRPC input.
 */
export const idempotencyKeySchema = z
  .string({ message: "The idempotency key must be a string." })
  .regex(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/, {
    message: "The idempotency key must be printable ASCII, without space at either end.",
  })
  .max(IDEMPOTENCY_KEY_MAX, {
    message: `The idempotency key must be at most ${IDEMPOTENCY_KEY_MAX} characters.`,
  });

/** `q` of list and counts: a case-insensitive substring of title or description. */
const searchText = z
  .string({ message: "The search text must be a string." })
  .trim()
  .pipe(boundedText("The search text", TITLE_MAX))
  .meta(textLengthMeta(TITLE_MAX))
  .optional();

/** A task as both surfaces return it; timestamps are ISO 8601 strings in UTC. */
export const taskSchema = z.object({
  id: z.uuid().meta(uuidLength),
  title: z.string().meta(textLengthMeta(TITLE_MAX)),
  description: z.string().meta(textLengthMeta(DESCRIPTION_MAX)).nullable(),
  completed: z.boolean(),
  version: version.meta({
    description: "1 on create, +1 on every write; the ETag of single-task responses.",
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Task = z.infer<typeof taskSchema>;

/** The path part of every route that names one task. */
export const taskIdParams = z.strictObject({ id: taskIdSchema });

export const createTaskBody = z.strictObject({
  title,
  description: description.optional(),
  completed: completed.optional(),
});
/** tRPC's create: the body plus the key REST sends as `Idempotency-Key`. */
export const createTaskInput = createTaskBody.extend({
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type CreateTaskInput = z.input<typeof createTaskInput>;

const updateFields = {
  title: title.optional(),
  description: description.optional(),
  completed: completed.optional(),
};
const hasAnyField = (fields: Record<string, unknown>) =>
  Object.values(fields).some((value) => value !== undefined);
const noFieldMessage = { message: "Give at least one of title, description or completed." };

export const updateTaskBody = z
  .strictObject(updateFields)
  .refine(hasAnyField, noFieldMessage)
  .meta({ minProperties: 1 });
export const updateTaskInput = z
  .strictObject({ id: taskIdSchema, expectedVersion, ...updateFields })
  .refine(
    ({ id: _id, expectedVersion: _expected, ...fields }) => hasAnyField(fields),
    noFieldMessage,
  );
export type UpdateTaskInput = z.input<typeof updateTaskInput>;

/** `toggle` takes no fields besides the id: any other is an unknown field. */
export const toggleTaskBody = z.strictObject({});

/** `get` takes the id alone. */
export const getTaskInput = taskIdParams;
/** `delete` and `toggle`: the id, and optionally the version the caller last saw. */
export const conditionalTaskInput = taskIdParams.extend({ expectedVersion });

export const taskStatusSchema = z.enum(["all", "pending", "completed"]);
export const taskSortSchema = z.enum(["createdAt", "updatedAt", "title"]);
export const sortOrderSchema = z.enum(["desc", "asc"]);

/** The fields of `list`'s query, for schemas that share some of them. */
export const listTasksFields = {
  status: taskStatusSchema.default("all"),
  sort: taskSortSchema.default("createdAt"),
  order: sortOrderSchema.default("desc"),
  q: searchText,
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
  items: z.array(taskSchema).max(PAGE_SIZE_MAX),
  nextCursor: z.string().max(CURSOR_MAX_LENGTH).nullable(),
});
export type TaskPage = z.infer<typeof taskPageSchema>;

export const taskCountsQuery = z.strictObject({ q: searchText });
export type TaskCountsInput = z.input<typeof taskCountsQuery>;

const count = z.int().min(0);
export const taskCountsSchema = z.object({ all: count, pending: count, completed: count });
export type TaskCounts = z.infer<typeof taskCountsSchema>;

/** "Toggle all": sets `completed` on every task of the caller's that differs. */
export const updateManyTasksBody = z.strictObject({ completed });
export const updateManyTasksResultSchema = z.object({ updated: count });

/** "Clear completed": the status is required, so no call deletes everything by omission. */
export const deleteManyTasksQuery = z.strictObject({
  status: z.enum(taskStatusSchema.options, {
    message: "Status must be one of all, pending, completed.",
  }),
});
export const deleteManyTasksResultSchema = z.object({ deleted: count });

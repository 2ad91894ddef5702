import { z } from "zod";
import type { ListTasksQuery } from "../schemas/task.ts";

/** Where the previous page stopped: the sort key and id of its last task. */
export interface Cursor {
  value: string;
  id: string;
}

const cursorPayload = z.strictObject({
  s: z.string(),
  o: z.string(),
  v: z.string().max(4096),
  i: z.uuid(),
});

/** Carries its issue in the shape of a validation error, so it is reported as one. */
export class InvalidCursorError extends Error {
  readonly issues = [
    { path: ["cursor"], message: "The cursor is invalid; start again from the first page." },
  ];

  constructor() {
    super("The cursor is invalid.");
  }
}

/** The cursor names its sort so that it cannot be replayed under another one. */
export function encodeCursor(query: Pick<ListTasksQuery, "sort" | "order">, at: Cursor): string {
  const payload = { s: query.sort, o: query.order, v: at.value, i: at.id };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

export function decodeCursor(query: Pick<ListTasksQuery, "sort" | "order">, text: string): Cursor {
  const payload = cursorPayload.safeParse(parseJson(Buffer.from(text, "base64url").toString()));
  if (!payload.success || payload.data.s !== query.sort || payload.data.o !== query.order) {
    throw new InvalidCursorError();
  }
  const { v: value, i: id } = payload.data;
  if (query.sort !== "title" && Number.isNaN(Date.parse(value))) throw new InvalidCursorError();
  return { value, id };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

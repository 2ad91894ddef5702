import { z } from "zod";
import { TITLE_MAX } from "../schemas/limits.ts";
import type { ListTasksQuery } from "../schemas/task.ts";
import { CODE_POINTS_PER_CHARACTER, isStorableText } from "../schemas/text.ts";

/** Where the previous page stopped: the sort key and id of its last task. */
export interface Cursor {
  value: string;
  id: string;
}

type CursorSort = Pick<ListTasksQuery, "sort" | "order">;

export const INVALID_CURSOR = "The cursor is invalid; start again from the first page.";

/**
 * The longest cursor the server can mint: a title of the most code points allowed,
 * each written by JSON.stringify in at most 6 bytes (`\u001f`), plus the rest of
 * the payload, in base64url. Every minted cursor is accepted back.
 */
const PAYLOAD_OVERHEAD_BYTES = 128;
export const CURSOR_MAX_LENGTH = Math.ceil(
  ((TITLE_MAX * CODE_POINTS_PER_CHARACTER * 6 + PAYLOAD_OVERHEAD_BYTES) * 4) / 3,
);

/** The one timestamp form the server writes: `toISOString()` of a year 0001–9999. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isTimestamp(value: string): boolean {
  if (!ISO_TIMESTAMP.test(value) || value.startsWith("0000")) return false;
  const time = Date.parse(value);
  // A date that does not exist (2024-02-30) rolls over and no longer matches.
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

const cursorPayload = z.strictObject({
  s: z.string(),
  o: z.string(),
  v: z.string().refine(isStorableText),
  i: z.uuid(),
});

/** The cursor names its sort so that it cannot be replayed under another one. */
export function encodeCursor(query: CursorSort, at: Cursor): string {
  const payload = { s: query.sort, o: query.order, v: at.value, i: at.id };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

function parsePayload(text: string): z.infer<typeof cursorPayload> | undefined {
  try {
    const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(text, "base64url").toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The position a cursor names, or `undefined` when it was not minted for this sort. */
export function decodeCursor(query: CursorSort, text: string): Cursor | undefined {
  const payload = parsePayload(text);
  if (!payload || payload.s !== query.sort || payload.o !== query.order) return undefined;
  const { v: value, i: id } = payload;
  if (query.sort !== "title" && !isTimestamp(value)) return undefined;
  return { value, id };
}

export function isValidCursor(query: CursorSort, text: string): boolean {
  return decodeCursor(query, text) !== undefined;
}

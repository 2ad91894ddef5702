import type { Database } from "@tasks/db";
import fc from "fast-check";
import type { WireRequest } from "./fuzz-http.ts";
import { percentEncode, queryString, storedTitle, unicodeText } from "./fuzz-text.ts";

export type Sort = "createdAt" | "updatedAt" | "title";
export type Order = "asc" | "desc";
export type Status = "all" | "pending" | "completed";

/** Titles of every script and length, up to the limits: the cursors they mint are the longest. */
export const CURSOR_TITLES: readonly string[] = [
  "a",
  "a",
  "Zebra",
  "ÿ Ω ж",
  "\u4e00".repeat(104),
  "\u4e00".repeat(200),
  "\u{20000}".repeat(200),
  "e\u0301\u0302\u0303".repeat(200), // 800 code points
  "👨‍👩‍👧‍👦".repeat(114), // 798 code points
  "\u001f".repeat(200), // 1,200 bytes of JSON escapes
  '"\\'.repeat(100),
  "👍🏽".repeat(200),
  "\u202eevil\u2066x\u2069",
  "%_\\'",
  "\ufffd\uffff\u{10ffff}",
];

/** A walk through every page of one listing. */
export interface Walk {
  surface: "rest" | "trpc";
  sort: Sort;
  order: Order;
  status: Status;
  limit: number;
}

export const walk: fc.Arbitrary<Walk> = fc.record({
  surface: fc.constantFrom("rest", "trpc"),
  sort: fc.constantFrom("createdAt", "updatedAt", "title"),
  order: fc.constantFrom("asc", "desc"),
  status: fc.constantFrom("all", "all", "pending", "completed"),
  limit: fc.integer({ min: 1, max: 8 }),
});

/** Writes the titles (and a few drawn ones) for `userId` in two statements, so timestamps tie too. */
export async function seedCursorTasks(db: Database, userId: string, extra: number): Promise<void> {
  const drawn = fc
    .sample(unicodeText, { numRuns: extra * 4, seed: 13 })
    .flatMap((text) => storedTitle(text) ?? []);
  const titles = [...CURSOR_TITLES, ...drawn.slice(0, extra)];
  const half = Math.ceil(titles.length / 2);
  for (const part of [titles.slice(0, half), titles.slice(half)]) {
    await db.prisma.task.createMany({
      data: part.map((title, index) => ({ userId, title, completed: index % 3 === 0 })),
    });
  }
}

/** The request for one page. */
export function pageRequest(
  query: Omit<Walk, "surface">,
  surface: Walk["surface"],
  token: string,
  cursor: string | undefined,
): WireRequest {
  const headers = { authorization: `Bearer ${token}` };
  const fields: Record<string, string | number> = {
    ...query,
    ...(cursor !== undefined && { cursor }),
  };
  if (surface === "rest") {
    const search = Object.entries(fields)
      .map(([key, value]) => `${key}=${percentEncode(String(value))}`)
      .join("&");
    return { method: "GET", path: `/api/v1/tasks?${search}`, headers, body: undefined };
  }
  const input = JSON.stringify(fields);
  return {
    method: "GET",
    path: `/trpc/tasks.list?${queryString({ input })}`,
    headers,
    body: undefined,
  };
}

/** A cursor the server minted, with the listing it belongs to. */
export interface MintedCursor {
  cursor: string;
  query: Omit<Walk, "surface">;
}

type Payload = Record<string, unknown>;

/** A hand edit of a minted cursor. */
export interface CursorEdit {
  describe: string;
  apply: (cursor: string, query: MintedCursor["query"]) => string;
}

const decode = (cursor: string): Payload =>
  JSON.parse(Buffer.from(cursor, "base64url").toString()) as Payload;
const encode = (payload: unknown): string =>
  Buffer.from(JSON.stringify(payload)).toString("base64url");
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Timestamps PostgreSQL or `Date.parse` may read, none of them the form the server writes. */
const BAD_TIMESTAMPS = [
  "2024-02-30T00:00:00.000Z",
  "2023-02-29T12:00:00.000Z",
  "2024-13-01T00:00:00.000Z",
  "2024-01-01T24:00:00.000Z",
  "1",
  "March 7",
  "0",
  "",
  "0000-01-01T00:00:00.000Z",
  "+010000-01-01T00:00:00.000Z",
  "10000-01-01T00:00:00.000Z",
  "-000001-01-01T00:00:00.000Z",
  "2024-01-01T00:00:00Z",
  "2024-01-01T00:00:00.000+01:00",
  "2024-01-01 00:00:00",
  "2024-01-01T00:00:00.000Z\u0000",
  "\ud800",
  "infinity",
  "epoch",
  "now",
];

function edit(
  describe: string,
  change: (payload: Payload, query: MintedCursor["query"]) => unknown,
): CursorEdit {
  return { describe, apply: (cursor, query) => encode(change(decode(cursor), query)) };
}

const otherSort = (sort: Sort): Sort => (sort === "title" ? "createdAt" : "title");

export const cursorEdit: fc.Arbitrary<CursorEdit> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 63 })).map(([at, to]) => ({
    describe: `character ${at} replaced by ${BASE64URL[to]}`,
    apply: (cursor: string) => {
      const index = at % cursor.length;
      return `${cursor.slice(0, index)}${BASE64URL[to]}${cursor.slice(index + 1)}`;
    },
  })),
  fc.integer({ min: 1, max: 40 }).map((cut) => ({
    describe: `last ${cut} characters cut`,
    apply: (cursor: string) => cursor.slice(0, Math.max(0, cursor.length - cut)),
  })),
  fc.constantFrom("=", "!", " ", ".", "\u0000", "é", "AAAA").map((tail) => ({
    describe: `${JSON.stringify(tail)} appended`,
    apply: (cursor: string) => `${cursor}${tail}`,
  })),
  fc.constant({
    describe: "standard base64 with padding",
    apply: (cursor: string) => Buffer.from(cursor, "base64url").toString("base64"),
  }),
  fc.constant(edit("sort changed", (p, q) => ({ ...p, s: otherSort(q.sort) }))),
  fc.constant(edit("order flipped", (p, q) => ({ ...p, o: q.order === "asc" ? "desc" : "asc" }))),
  fc
    .constantFrom(...BAD_TIMESTAMPS, "a\u0000b", "x\udfff")
    .map((value) => edit(`value ${JSON.stringify(value)}`, (p) => ({ ...p, v: value }))),
  unicodeText.map((value) =>
    edit(`value ${JSON.stringify(value).slice(0, 60)}`, (p) => ({ ...p, v: value })),
  ),
  fc
    .constantFrom(null, 1, true, [], {})
    .map((value) => edit(`value ${JSON.stringify(value)}`, (p) => ({ ...p, v: value }))),
  fc
    .constantFrom("not-a-uuid", "", "00000000-0000-0000-0000-00000000000g", "1", null)
    .map((id) => edit(`id ${JSON.stringify(id)}`, (p) => ({ ...p, i: id }))),
  fc.uuid().map((id) => edit(`id ${id}`, (p) => ({ ...p, i: id }))),
  fc
    .constantFrom("s", "o", "v", "i")
    .map((key) =>
      edit(`${key} removed`, (p) =>
        Object.fromEntries(Object.entries(p).filter(([k]) => k !== key)),
      ),
    ),
  fc.constant(edit("extra key", (p) => ({ ...p, userId: "someone" }))),
  fc
    .constantFrom([], "x", 1, null)
    .map((value) => edit(`payload ${JSON.stringify(value)}`, () => value)),
);

/** Whether a timestamp is one the server could have written (`toISOString()`, years 0001–9999). */
function isCanonicalTimestamp(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const time = Date.parse(value);
  return !value.startsWith("0000") && !Number.isNaN(time) && new Date(time).toISOString() === value;
}

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parsed(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    return undefined;
  }
}

/**
 * `invalid` when the cursor, decoded as Node decodes base64url, cannot name a
 * position of this listing (API.md: 422); `either` when it may (an edit the server
 * cannot tell from a cursor it minted, or one it refuses for its length).
 */
export function cursorVerdict(cursor: string, query: MintedCursor["query"]): "invalid" | "either" {
  const payload = parsed(cursor);
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return "invalid";
  const { s, o, v, i, ...rest } = payload as Payload;
  if (Object.keys(rest).length > 0 || s !== query.sort || o !== query.order) return "invalid";
  if (typeof v !== "string" || !fitsAsCursorValue(v)) return "invalid";
  if (typeof i !== "string" || !ANY_UUID.test(i)) return "invalid";
  if (query.sort !== "title" && !isCanonicalTimestamp(v)) return "invalid";
  return "either";
}

function fitsAsCursorValue(value: string): boolean {
  return !value.includes("\u0000") && !/\p{Cs}/u.test(value);
}

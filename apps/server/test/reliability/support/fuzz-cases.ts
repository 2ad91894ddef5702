import fc from "fast-check";
import { ALLOWED_ORIGIN } from "./fuzz-checks.ts";
import { isWellFormed, nearLimit, percentEncode, unicodeText } from "./fuzz-text.ts";

/**
 * A fuzz case is pure data drawn by fast-check. Choices that depend on the
 * database (which ids exist, which cursors are valid) are indexes, resolved when
 * the case runs, so that shrinking still replays the same kind of request.
 */
export type Procedure = "list" | "create" | "get" | "update" | "delete" | "toggle";

export type Target =
  | { surface: "rest"; procedure: Procedure; method: string; suffix: "" | "/toggle" }
  | { surface: "trpc"; procedure: Procedure; method: "GET" | "POST" }
  | { surface: "unknown"; method: string; path: string };

export type AuthChoice = { kind: "own" | "foreign" | "none" } | { kind: "variant"; pick: number };

export type IdChoice =
  { kind: "own" | "foreign"; pick: number } | { kind: "absent" } | { kind: "raw"; text: string };

export type BodyChoice =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: string }
  | { kind: "oversized" };

export type CursorChoice = { kind: "valid"; pick: number } | { kind: "raw"; text: string };

export interface FuzzCase {
  target: Target;
  auth: AuthChoice;
  id: IdChoice;
  body: BodyChoice;
  query: Record<string, string>;
  cursor: CursorChoice | undefined;
  contentType: string | undefined;
  requestId: string | undefined;
  /** Origin, Accept, trpc-accept: read by CORS and tRPC; never a reason to fail. */
  headers: Record<string, string | undefined>;
  /** Raw bytes appended to the query string: percent-encoding that is not UTF-8. */
  queryTail: string | undefined;
}

/**
 * `arbitrary` one time in `freq`, else undefined (fast-check's own `freq` is the
 * other way round: one nil in `freq`).
 */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, options: { nil: undefined; freq?: number }) {
  const freq = options.freq ?? 2;
  return fc.oneof(
    { weight: freq - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary },
  );
}

const restRoutes: Extract<Target, { surface: "rest" }>[] = [
  { surface: "rest", procedure: "list", method: "GET", suffix: "" },
  { surface: "rest", procedure: "create", method: "POST", suffix: "" },
  { surface: "rest", procedure: "get", method: "GET", suffix: "" },
  { surface: "rest", procedure: "update", method: "PUT", suffix: "" },
  { surface: "rest", procedure: "update", method: "PATCH", suffix: "" },
  { surface: "rest", procedure: "delete", method: "DELETE", suffix: "" },
  { surface: "rest", procedure: "toggle", method: "PATCH", suffix: "/toggle" },
];
const procedures: Procedure[] = ["list", "create", "get", "update", "delete", "toggle"];
const queries = new Set<Procedure>(["list", "get"]);

const printable = fc.string({
  unit: fc.constantFrom(..."abcXYZ019 -_./:%?#&=+~!*'()[]{}\"\\"),
  maxLength: 40,
});
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  unicodeText,
);

const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...restRoutes) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        surface: fc.constant("trpc" as const),
        procedure: fc.constantFrom(...procedures),
        // Mostly the right method; sometimes the other one (tRPC answers 405).
        method: fc.constantFrom("right", "right", "right", "wrong"),
      })
      .map(({ surface, procedure, method }) => {
        const right = queries.has(procedure) ? "GET" : "POST";
        const wrong = right === "GET" ? "POST" : "GET";
        return { surface, procedure, method: method === "right" ? right : wrong } as const;
      }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      surface: fc.constant("unknown" as const),
      method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
      path: fc.oneof(
        printable.map((text) => `/api/v1/${percentEncode(text)}`),
        printable.map((text) => `/api/v1/tasks/${percentEncode(text)}/toggle/x`),
        fc.constantFrom("/api/v2/tasks", "/api/v1", "/trpc", "/trpc/", "/trpc/tasks", "/"),
        fc.constantFrom("/%ZZ", "/api/v1/tasks/%ED%A0%80", "/api/v1/tasks/%C0%80", "/trpc/%FF"),
        printable.map((text) => `/trpc/tasks.${percentEncode(text)}`),
        unicodeText.map((text) => `/api/v1/tasks/${percentEncode(text)}`),
        // Known paths: with a method they do not serve, a 405 with Allow.
        fc.uuid().map((uuid) => `/api/v1/tasks/${uuid}`),
        fc.uuid().map((uuid) => `/api/v1/tasks/${uuid}/toggle`),
      ),
    }),
  },
);

const auth: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: "own" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "foreign" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: "variant" as const, pick })) },
);

const uuidLike = fc.oneof(
  fc.uuid().map((uuid) => uuid.toUpperCase()),
  fc.uuid().map((uuid) => `{${uuid}}`),
  fc.uuid().map((uuid) => uuid.replaceAll("-", "")),
  fc.uuid().map((uuid) => `${uuid} `),
  fc.uuid().map((uuid) => `${uuid}' OR '1'='1`),
);
const id: fc.Arbitrary<IdChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map((pick) => ({ kind: "own" as const, pick })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: "foreign" as const, pick })) },
  { weight: 1, arbitrary: fc.constant({ kind: "absent" as const }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.uuid(), uuidLike, anyText, fc.constantFrom("", "..", "%00", "null", "0"))
      .map((text) => ({ kind: "raw" as const, text })),
  },
);

/** Mostly legal values, so that requests get past validation and reach the database too. */
const title = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((text) => text.trim() !== ""),
  },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 210 }) },
  { weight: 3, arbitrary: unicodeText },
  { weight: 1, arbitrary: nearLimit([200]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "   ",
      "\t\n",
      "a".repeat(200),
      "a".repeat(201),
      "👍🏽".repeat(200),
      "%_\\",
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const description = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", null, "d".repeat(1000), "d".repeat(1001)) },
  { weight: 2, arbitrary: unicodeText },
  { weight: 1, arbitrary: nearLimit([1000]) },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const completed = fc.oneof(
  { weight: 4, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.jsonValue() },
);
/** Each field present most of the time (JSON.stringify drops the undefined ones). */
const taskFields = fc.record({
  title: fc.option(title, { nil: undefined, freq: 4 }),
  description: fc.option(description, { nil: undefined, freq: 2 }),
  completed: fc.option(completed, { nil: undefined, freq: 2 }),
});
const extraFields = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom("id", "userId", "__proto__", "constructor"),
  ),
  fc.jsonValue(),
  { maxKeys: 2 },
);
const jsonBody = fc.oneof(
  { weight: 10, arbitrary: taskFields },
  { weight: 1, arbitrary: fc.tuple(taskFields, extraFields).map(([a, b]) => ({ ...b, ...a })) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const rawBody = fc.oneof(
  anyText,
  fc.constantFrom(
    '{"title": ',
    '{"title":"a","__proto__":{"polluted":true}}',
    '{"title":"a","constructor":{"prototype":{"polluted":true}}}',
    "title=a&completed=true",
    "null",
    "[]",
    "1e999",
    '"just a string"',
  ),
);
const body: fc.Arbitrary<BodyChoice> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 10, arbitrary: jsonBody.map((value) => ({ kind: "json" as const, value })) },
  { weight: 3, arbitrary: rawBody.map((text) => ({ kind: "raw" as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: "oversized" as const }) },
);

/**
 * Mostly text a URL can carry (a lone surrogate has no UTF-8 form: the request is a
 * 400 before it reaches the route; the text property covers those), sometimes any.
 */
const urlText = fc.oneof(
  { weight: 9, arbitrary: anyText.filter(isWellFormed) },
  { weight: 1, arbitrary: anyText },
);
const queryValue = fc.oneof(urlText, fc.integer({ min: -5, max: 200 }).map(String));
/** Mostly a legal value, so that the list route is exercised past validation too. */
const mostly = (legal: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: legal }, { weight: 1, arbitrary: queryValue });
const query = fc.record(
  {
    status: mostly(fc.constantFrom("all", "pending", "completed")),
    sort: mostly(fc.constantFrom("createdAt", "updatedAt", "title")),
    order: mostly(fc.constantFrom("asc", "desc")),
    q: fc.oneof(urlText, fc.constantFrom("%", "_", "\\", "' OR 1=1 --", "a".repeat(201))),
    limit: mostly(fc.integer({ min: 1, max: 100 }).map(String)),
  },
  { requiredKeys: [] },
);
const unknownQueryKey = fc.option(
  fc.tuple(
    fc.constantFrom("userId", "user_id", "__proto__[x]", "constructor", "id", "extra"),
    printable,
  ),
  { nil: undefined, freq: 6 },
);

const cursor: fc.Arbitrary<CursorChoice | undefined> = fc.option(
  fc.oneof(
    fc.nat().map((pick) => ({ kind: "valid" as const, pick })),
    fc
      .oneof(
        anyText,
        fc.base64String({ maxLength: 80 }),
        fc
          .record({
            s: fc.string(),
            o: fc.string(),
            v: fc.string(),
            i: fc.oneof(fc.uuid(), fc.string()),
          })
          .map((payload) => Buffer.from(JSON.stringify(payload)).toString("base64url")),
        fc.constant("x".repeat(600)),
      )
      .map((text) => ({ kind: "raw" as const, text })),
  ),
  { nil: undefined, freq: 3 },
);

const origin = fc.oneof(
  fc.constantFrom(ALLOWED_ORIGIN, "http://localhost:3001", "null", "https://evil.example", ""),
  printable,
);
const accept = fc.constantFrom(
  "application/json",
  "*/*",
  "text/html",
  "application/xml",
  "application/problem+json",
  "text/event-stream",
  "application/jsonl",
  "x;;;q=-1",
);
const entityTag = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map((version) => `"${version}"`),
  fc.constantFrom("*", 'W/"1"', '"1", "2"', "1", '""', '"-1"', '"99999999999999999999"'),
  printable,
);
const idempotencyKey = fc.oneof(
  fc.constantFrom("key-1", "key-2", "k".repeat(255), "k".repeat(256), " key", "key ", ""),
  printable,
  unicodeText,
);
/** Percent-encoding that is not UTF-8 (a surrogate, an overlong NUL, a cut sequence, a stray byte). */
const badPercent = fc.constantFrom(
  "%ED%A0%80",
  "%ED%BF%BF",
  "%C0%80",
  "%FF",
  "%E4%B8",
  "%F4%90%80%80",
  "%ZZ",
  "%",
);

/** Usually none given (the request then says application/json), sometimes anything. */
const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json;charset=latin1",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json-patch+json",
      "application/xml",
      "",
    ),
  },
);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record({
  target,
  auth,
  id,
  body,
  query: fc
    .tuple(query, unknownQueryKey)
    .map(([known, unknown]) => (unknown ? { [unknown[0]]: unknown[1], ...known } : known)),
  cursor,
  contentType,
  requestId: fc.option(fc.oneof(printable, unicodeText, fc.constant("r".repeat(129))), {
    nil: undefined,
  }),
  headers: fc.record({
    origin: sometimes(origin, { nil: undefined, freq: 2 }),
    accept: sometimes(accept, { nil: undefined, freq: 3 }),
    "trpc-accept": sometimes(fc.constantFrom("application/json", "text/plain", "x"), {
      nil: undefined,
      freq: 8,
    }),
    // Issue 14's conditional requests and idempotent creates.
    "if-match": sometimes(entityTag, { nil: undefined, freq: 5 }),
    "if-none-match": sometimes(entityTag, { nil: undefined, freq: 6 }),
    "idempotency-key": sometimes(idempotencyKey, { nil: undefined, freq: 4 }),
  }),
  queryTail: sometimes(badPercent, { nil: undefined, freq: 8 }),
});

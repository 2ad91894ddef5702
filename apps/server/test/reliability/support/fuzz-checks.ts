import type { z } from "zod";
import {
  allowedStatuses,
  problemBody,
  strictTask,
  strictTaskPage,
  trpcEnvelope,
} from "./contract.ts";
import type { FuzzResponse } from "./fuzz-http.ts";
import { storedDescription, storedTitle } from "./fuzz-text.ts";
import type { FuzzRequest } from "./fuzz-world.ts";
import type { TableDiff, TableSnapshot } from "./tasks-table.ts";

export type { FuzzResponse };

/** The origin the test server's CORS_ORIGINS allows (its default). */
export const ALLOWED_ORIGIN = "http://localhost:3000";
const SANE_REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** Node refuses a request line and headers over 16 KiB (431) before the server sees them. */
const MAX_HEADER_BYTES = 16_384;
/** What fetch adds on its own (Host, User-Agent, Accept, ...), with room to spare. */
const ADDED_BY_FETCH = 1_024;

/** Whether a request's line and headers may be over what Node reads (it then answers 431 or cuts). */
export function isOverHeadLimit(request: Pick<SentHeaders, "path" | "headers">): boolean {
  const headers = Object.entries(request.headers).reduce(
    (total, [name, value]) => total + name.length + value.length + 4,
    0,
  );
  return request.path.length + headers + ADDED_BY_FETCH > MAX_HEADER_BYTES;
}

/** What the header checks need to know of a request. */
export interface SentHeaders {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Set when the request names a procedure: its answer has a user's data. */
  procedure: string | undefined;
}

/**
 * The headers every response carries (API.md "Errors" and "Around the API"): the
 * request id (the client's own when sane), the security headers, `Vary: Origin`,
 * CORS only for the allowed origin, and Cache-Control on the API's answers.
 */
export function headerProblems(request: SentHeaders, response: FuzzResponse): string[] {
  if (response.status === 0) {
    // Node may cut a connection whose request line and headers are over its limit.
    return isOverHeadLimit(request) ? [] : [`connection failed: ${response.text}`];
  }
  const problems: string[] = [];
  const { headers } = response;
  const requestId = headers.get("x-request-id");
  const sentId = request.headers["x-request-id"];
  if (!requestId) problems.push("no x-request-id");
  else if (sentId !== undefined && SANE_REQUEST_ID.test(sentId) && requestId !== sentId) {
    problems.push(`x-request-id ${requestId} instead of the sane ${sentId}`);
  }
  if (headers.get("x-content-type-options") !== "nosniff") problems.push("no security headers");
  const vary = (headers.get("vary") ?? "").toLowerCase().split(/\s*,\s*/);
  if (!vary.includes("origin")) problems.push(`Vary without Origin: ${headers.get("vary")}`);
  const allowOrigin = headers.get("access-control-allow-origin");
  const origin = request.headers.origin;
  // A path the router cannot decode is answered before CORS runs (noted in the report).
  const routed = decodesPath(request.path);
  if (routed && (origin === ALLOWED_ORIGIN ? allowOrigin !== origin : allowOrigin !== null)) {
    problems.push(`Access-Control-Allow-Origin ${allowOrigin} for Origin ${origin}`);
  }
  if (response.status === 401 && !/^Bearer/.test(headers.get("www-authenticate") ?? "")) {
    problems.push("401 without WWW-Authenticate: Bearer");
  }
  if (response.status === 429 && !/^\d+$/.test(headers.get("retry-after") ?? "")) {
    problems.push("429 without Retry-After");
  }
  // A malformed URL (400), 414 and 431 are refused at the edge, before the API and its data.
  if (request.procedure !== undefined && ![400, 414, 431].includes(response.status)) {
    const bare = request.path.split("?", 1)[0] ?? "";
    const singleTask = request.method === "GET" && /^\/api\/v1\/tasks\/[^/]+$/.test(bare);
    const revalidated = singleTask && [200, 304].includes(response.status);
    const expected = revalidated ? "private, no-cache" : "no-store";
    const cacheControl = headers.get("cache-control");
    if (cacheControl !== expected) problems.push(`Cache-Control ${cacheControl}, not ${expected}`);
  }
  return problems;
}

/** The methods a REST path serves (a known path with another method is a 405). */
const SERVED_PATHS: readonly [RegExp, readonly string[]][] = [
  [/^\/api\/v1\/tasks\/[0-9a-f-]{36}$/, ["GET", "PUT", "PATCH", "DELETE"]],
  [/^\/api\/v1\/tasks\/[0-9a-f-]{36}\/toggle$/, ["PATCH"]],
];

function servedMethods(path: string): readonly string[] | undefined {
  const bare = path.split("?", 1)[0] ?? "";
  return SERVED_PATHS.find(([pattern]) => pattern.test(bare))?.[1];
}

function decodesPath(path: string): boolean {
  try {
    decodeURIComponent(path.split("?", 1)[0] ?? "");
    return true;
  } catch {
    return false;
  }
}

/** A REST error body: `{ detail }`, with `errors` exactly when it is a 422. */
export function restErrorProblems(response: FuzzResponse): string[] {
  const body = parse(response.text);
  const shape = shapeProblem(problemBody, body);
  if (shape) return [`error body: ${shape}: ${response.text.slice(0, 200)}`];
  const hasErrors = (body as { errors?: unknown }).errors !== undefined;
  return hasErrors === (response.status === 422)
    ? []
    : [`${response.status} with errors ${hasErrors}`];
}

/** What a successful write did, as its response tells it. */
export interface Acknowledged {
  created: Map<string, string | undefined>;
  changed: Set<string>;
  deleted: Set<string>;
}

export function emptyAcknowledged(): Acknowledged {
  return { created: new Map(), changed: new Set(), deleted: new Set() };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Symbol.for("not json");
  }
}

function shapeProblem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues.map((issue) => issue.message).join("; ");
}

/** The task ids a successful body carries (one task, or a page of them). */
function tasksIn(procedure: string | undefined, data: unknown): { id: string }[] {
  if (procedure === "list") return (data as { items: { id: string }[] }).items;
  if (procedure === "delete" || data === null || typeof data !== "object") return [];
  return [data as { id: string }];
}

function successSchema(procedure: string | undefined): z.ZodType | undefined {
  if (procedure === "list") return strictTaskPage;
  if (procedure === "delete") return undefined;
  return strictTask;
}

/**
 * Judges one response against API.md; returns what is wrong with it (nothing
 * when it is fine) and records acknowledged writes for the table check.
 */
export function judge(
  request: FuzzRequest,
  response: FuzzResponse,
  tables: { before: TableSnapshot; after: TableSnapshot },
  acknowledged: Acknowledged,
): string[] {
  const problems: string[] = [];
  const { status } = response;
  if (status >= 500) problems.push(`status ${status}`);
  // Node refuses a request line over its limit before the server reads it.
  if (isOverHeadLimit(request) && [0, 414, 431].includes(status)) return problems;
  if (!allowedStatuses(request.surface, request.procedure).has(status)) {
    problems.push(`status ${status} is not allowed for this route`);
  }
  problems.push(...headerProblems(request, response));
  // API.md: a request without a valid token gets 401 whatever else is wrong with it.
  const named = request.procedure !== undefined && request.surface !== undefined;
  if (named && request.userId === undefined && status !== 401 && !request.malformedUrl) {
    problems.push(`${status} without a valid token, not 401`);
  }
  const allowed = servedMethods(request.path);
  if (allowed && !allowed.includes(request.method)) {
    // A body the server cannot read may be refused first (400, 413, 415).
    const refused =
      status === 405 ? !response.headers.get("allow") : ![400, 413, 415].includes(status);
    if (refused) problems.push(`${status}, not 405 with Allow`);
  }
  if (request.malformedUrl && status < 400) problems.push(`${status} for a URL that is not UTF-8`);
  const data =
    request.surface === "rest"
      ? restData(request, response, problems)
      : trpcData(response, problems);
  if (status >= 200 && status < 300 && data.ok) {
    const schema = successSchema(request.procedure);
    const shape = schema && shapeProblem(schema, data.value);
    if (shape) problems.push(`success body: ${shape}`);
    else
      problems.push(
        ...ownership(request, data.value, tables),
        ...storedAsSent(request, data.value),
        ...record(request, data.value, acknowledged),
      );
  }
  return problems;
}

type Data = { ok: true; value: unknown } | { ok: false };

function restData(request: FuzzRequest, response: FuzzResponse, problems: string[]): Data {
  const { status, text } = response;
  if (status === 204) {
    if (text !== "") problems.push("204 with a body");
    return { ok: true, value: null };
  }
  const body = parse(text);
  if (status >= 400) {
    problems.push(...restErrorProblems(response));
    return { ok: false };
  }
  if (status === 201) {
    const id = (body as { id?: unknown }).id;
    if (response.headers.get("location") !== `/api/v1/tasks/${String(id)}`) {
      problems.push("201 without the task's Location");
    }
  }
  return request.procedure === undefined ? { ok: false } : { ok: true, value: body };
}

function trpcData(response: FuzzResponse, problems: string[]): Data {
  const body = parse(response.text);
  const envelope = trpcEnvelope.safeParse(body);
  if (!envelope.success) {
    problems.push(`tRPC body: ${response.text.slice(0, 200)}`);
    return { ok: false };
  }
  if ("error" in envelope.data) {
    if (envelope.data.error.data.httpStatus !== response.status)
      problems.push("tRPC httpStatus differs");
    return { ok: false };
  }
  return { ok: true, value: envelope.data.result.data };
}

/**
 * A write that succeeded wrote what was sent, after API.md's rules (title trimmed,
 * an empty description is none), and only what those rules accept.
 */
export function storedAsSent(
  request: Pick<FuzzRequest, "procedure" | "fields">,
  data: unknown,
): string[] {
  const { fields } = request;
  if (!fields || (request.procedure !== "create" && request.procedure !== "update")) return [];
  const task = data as { title: string; description: string | null; completed: boolean };
  const problems: string[] = [];
  const expect = (name: string, sent: unknown, stored: unknown, expected: unknown) => {
    if (expected === undefined)
      problems.push(`accepted the ${name} ${JSON.stringify(sent)?.slice(0, 80)}`);
    else if (stored !== expected) {
      problems.push(
        `${name} ${JSON.stringify(sent)?.slice(0, 80)} answered as ${JSON.stringify(stored)?.slice(0, 80)}`,
      );
    }
  };
  if ("title" in fields) expect("title", fields.title, task.title, storedTitle(fields.title));
  if ("description" in fields) {
    expect(
      "description",
      fields.description,
      task.description,
      storedDescription(fields.description),
    );
  }
  if ("completed" in fields) {
    const sent = fields.completed;
    expect("completed", sent, task.completed, typeof sent === "boolean" ? sent : undefined);
  }
  return problems;
}

/** A successful answer only ever carries tasks of the token's user. */
function ownership(
  request: FuzzRequest,
  data: unknown,
  tables: { before: TableSnapshot; after: TableSnapshot },
): string[] {
  return tasksIn(request.procedure, data).flatMap(({ id }) => {
    const owner = (tables.after.get(id) ?? tables.before.get(id))?.userId;
    return owner === request.userId
      ? []
      : [`task ${id} of ${String(owner)} shown to ${String(request.userId)}`];
  });
}

function record(request: FuzzRequest, data: unknown, acknowledged: Acknowledged): string[] {
  const task = data as { id?: string } | null;
  switch (request.procedure) {
    case "create":
      if (task?.id) acknowledged.created.set(task.id, request.userId);
      return [];
    case "update":
    case "toggle":
      if (task?.id) acknowledged.changed.add(task.id);
      return [];
    case "delete":
      if (!request.taskId) return ["delete acknowledged without a task id"];
      acknowledged.deleted.add(request.taskId);
      return [];
    default:
      return [];
  }
}

/** Every change to the table is explained by an acknowledged write: rejected requests changed nothing. */
export function unexplainedChanges(diff: TableDiff, acknowledged: Acknowledged): string[] {
  const problems: string[] = [];
  for (const row of diff.added) {
    if (!acknowledged.created.has(row.id))
      problems.push(`row ${row.id} appeared without a 2xx create`);
    else if (acknowledged.created.get(row.id) !== row.userId)
      problems.push(`row ${row.id} has the wrong owner`);
  }
  for (const row of diff.removed) {
    if (!acknowledged.deleted.has(row.id))
      problems.push(`row ${row.id} vanished without a 2xx delete`);
  }
  for (const { after } of diff.changed) {
    if (!acknowledged.changed.has(after.id))
      problems.push(`row ${after.id} changed without a 2xx update`);
  }
  return problems;
}

import type { z } from "zod";
import {
  allowedStatuses,
  problemBody,
  strictTask,
  strictTaskPage,
  trpcEnvelope,
} from "./contract.ts";
import type { FuzzRequest } from "./fuzz-world.ts";
import type { TableDiff, TableSnapshot } from "./tasks-table.ts";

export interface FuzzResponse {
  status: number;
  headers: Headers;
  text: string;
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
  if (!allowedStatuses(request.surface, request.procedure).has(status)) {
    problems.push(`status ${status} is not allowed for this route`);
  }
  if (!response.headers.get("x-request-id")) problems.push("no x-request-id");
  if (status === 401 && !/^Bearer/.test(response.headers.get("www-authenticate") ?? "")) {
    problems.push("401 without WWW-Authenticate: Bearer");
  }
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
    const shape = shapeProblem(problemBody, body);
    if (shape) problems.push(`error body: ${shape}: ${text.slice(0, 200)}`);
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

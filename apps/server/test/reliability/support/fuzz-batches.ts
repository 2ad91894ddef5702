import fc from "fast-check";
import { strictTask, strictTaskPage, trpcEnvelope } from "./contract.ts";
import type { Acknowledged } from "./fuzz-checks.ts";
import { headerProblems, isOverHeadLimit, storedAsSent } from "./fuzz-checks.ts";
import { parseJson, type FuzzResponse, type WireRequest } from "./fuzz-http.ts";
import { queryString, unicodeText } from "./fuzz-text.ts";

type Query = "list" | "get";
type Mutation = "create" | "update" | "delete" | "toggle";
type BatchProcedure = Query | Mutation;

/** One call of a batch; ids are picks, resolved against the users' tasks when it runs. */
export interface BatchCall {
  procedure: BatchProcedure;
  id: { owner: "self" | "other"; pick: number } | { raw: string };
  title: string | undefined;
  completed: boolean | undefined;
  q: string | undefined;
  limit: number;
}

export interface Batch {
  /** Which of the fuzz users sends it. */
  user: number;
  method: "GET" | "POST";
  /** `trpc-accept: application/jsonl`: tRPC's own streaming handler instead of the plain path. */
  streaming: boolean;
  calls: BatchCall[];
}

const QUERIES: readonly Query[] = ["list", "get"];
const MUTATIONS: readonly Mutation[] = ["create", "update", "delete", "toggle"];

const call = (procedures: readonly BatchProcedure[]): fc.Arbitrary<BatchCall> =>
  fc.record({
    procedure: fc.constantFrom(...procedures),
    id: fc.oneof(
      { weight: 6, arbitrary: fc.record({ owner: fc.constant("self" as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ owner: fc.constant("other" as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.oneof(fc.uuid(), unicodeText).map((raw) => ({ raw })) },
    ),
    title: fc.option(fc.oneof(fc.constant("batched"), unicodeText), { nil: undefined }),
    completed: fc.option(fc.boolean(), { nil: undefined }),
    // Short enough that a batch of them fits in a URL; fuzz.test.ts sends the long ones.
    q: fc.option(
      unicodeText.filter((text) => text.length <= 40),
      { nil: undefined, freq: 3 },
    ),
    limit: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(100)),
  });

/** 1 to 50 calls; mostly of the method's type, sometimes one of the other type mixed in. */
export const batch: fc.Arbitrary<Batch> = fc
  .record({
    user: fc.nat({ max: 2 }),
    method: fc.constantFrom("GET" as const, "POST" as const),
    streaming: fc.boolean(),
    size: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(1, 19, 20, 21, 50)),
    mixed: fc.oneof(
      { weight: 5, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    seed: fc.array(fc.tuple(call(QUERIES), call(MUTATIONS)), { minLength: 50, maxLength: 50 }),
  })
  .map(({ user, method, streaming, size, mixed, seed }) => ({
    user,
    method,
    streaming: streaming && method === "GET",
    calls: seed.slice(0, size).map(([query, mutation], index) => {
      const right = method === "GET" ? query : mutation;
      const wrong = method === "GET" ? mutation : query;
      return mixed && index === size - 1 ? wrong : right;
    }),
  }));

const listCall: BatchCall = {
  procedure: "list",
  id: { owner: "self", pick: 0 },
  title: undefined,
  completed: undefined,
  q: undefined,
  limit: 5,
};

/**
 * Batches that answer 200 (one valid call) and 413 (one call too many), run before
 * the random ones so that every run covers both: random batches of several calls
 * are mostly mixed answers (207).
 */
export function boundaryBatches(maxBatchSize: number): Batch[] {
  const of = (size: number): Batch => ({
    user: 0,
    method: "GET",
    streaming: false,
    calls: Array.from({ length: size }, () => listCall),
  });
  return [of(1), of(maxBatchSize + 1)];
}

/** The tasks each user owns, to resolve picks. */
export interface BatchUsers {
  tokens: readonly string[];
  userIds: readonly string[];
  tasksOf: (user: number) => readonly string[];
}

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items[index % Math.max(1, items.length)];
}

function inputOf(entry: BatchCall, users: BatchUsers, user: number): Record<string, unknown> {
  if (entry.procedure === "list") {
    return { limit: entry.limit, ...(entry.q !== undefined && { q: entry.q }) };
  }
  if (entry.procedure === "create") {
    return {
      title: entry.title ?? "batched",
      ...(entry.completed !== undefined && { completed: entry.completed }),
    };
  }
  const owner =
    "raw" in entry.id ? user : entry.id.owner === "self" ? user : (user + 1) % users.tokens.length;
  const id = "raw" in entry.id ? entry.id.raw : (pick(users.tasksOf(owner), entry.id.pick) ?? "");
  if (entry.procedure !== "update") return { id };
  const changes = {
    ...(entry.title !== undefined && { title: entry.title }),
    ...(entry.completed !== undefined && { completed: entry.completed }),
  };
  return { id, ...(Object.keys(changes).length === 0 ? { completed: true } : changes) };
}

export interface ResolvedBatch {
  request: WireRequest;
  batch: Batch;
  inputs: Record<string, unknown>[];
  userId: string;
}

export function resolveBatch(entry: Batch, users: BatchUsers): ResolvedBatch {
  const inputs = entry.calls.map((each) => inputOf(each, users, entry.user));
  const paths = entry.calls.map((each) => `tasks.${each.procedure}`).join(",");
  const input = JSON.stringify(Object.fromEntries(inputs.map((value, index) => [index, value])));
  const headers: Record<string, string> = {
    authorization: `Bearer ${users.tokens[entry.user] ?? ""}`,
    ...(entry.streaming && { "trpc-accept": "application/jsonl" }),
  };
  const request: WireRequest =
    entry.method === "GET"
      ? {
          method: "GET",
          path: `/trpc/${paths}?batch=1&${queryString({ input })}`,
          headers,
          body: undefined,
        }
      : {
          method: "POST",
          path: `/trpc/${paths}?batch=1`,
          headers: { ...headers, "content-type": "application/json" },
          body: input,
        };
  return { request, batch: entry, inputs, userId: users.userIds[entry.user] ?? "" };
}

const successShape = {
  list: strictTaskPage,
  get: strictTask,
  create: strictTask,
  update: strictTask,
  toggle: strictTask,
};

/**
 * Judges one batch: over the limit it is a 413 for every call; otherwise each call
 * answers on its own, within the contract, with only the user's tasks, and its
 * writes are recorded for the table check.
 */
export function judgeBatch(
  resolved: ResolvedBatch,
  response: FuzzResponse,
  maxBatchSize: number,
  ownerOf: (id: string) => string | undefined,
  acknowledged: Acknowledged,
): string[] {
  const { batch: entry, inputs } = resolved;
  const problems = headerProblems({ ...resolved.request, procedure: "batch" }, response);
  if (response.status >= 500) problems.push(`status ${response.status}`);
  const tooLong = isOverHeadLimit(resolved.request);
  if (tooLong && [0, 431].includes(response.status)) return problems;
  if (entry.calls.length > maxBatchSize) {
    if (response.status !== 413)
      problems.push(`${entry.calls.length} calls answered ${response.status}, not 413`);
    return problems;
  }
  if (response.status === 413)
    return [...problems, `${entry.calls.length} calls refused as too many`];
  const types = new Set(entry.calls.map((each) => QUERIES.includes(each.procedure as Query)));
  if (types.size > 1) {
    // tRPC refuses a batch that mixes queries and mutations whole.
    return [400, 405].includes(response.status)
      ? problems
      : [...problems, `a batch mixing queries and mutations answered ${response.status}`];
  }
  // tRPC's own handler streams JSON lines: judged by status and headers only (queries write nothing).
  if (entry.streaming)
    return response.status === 200 ? problems : [...problems, `streamed ${response.status}`];
  const body = parseJson(response.text);
  if (!Array.isArray(body) || body.length !== entry.calls.length) {
    return [...problems, `batch body: ${response.text.slice(0, 200)}`];
  }
  body.forEach((raw, index) => {
    const envelope = trpcEnvelope.safeParse(raw);
    const each = entry.calls[index] as BatchCall;
    if (!envelope.success) {
      problems.push(`call ${index}: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    if ("error" in envelope.data) {
      const status = envelope.data.error.data.httpStatus;
      if (status >= 500) problems.push(`call ${index} (${each.procedure}): ${status}`);
      return;
    }
    const data = envelope.data.result.data;
    if (each.procedure === "delete") {
      if (data !== null) problems.push(`call ${index}: delete answered ${JSON.stringify(data)}`);
      acknowledged.deleted.add(String(inputs[index]?.id));
      return;
    }
    const shape = successShape[each.procedure].safeParse(data);
    if (!shape.success) {
      problems.push(`call ${index} (${each.procedure}): ${shape.error.issues[0]?.message}`);
      return;
    }
    const tasks =
      each.procedure === "list"
        ? (data as { items: { id: string }[] }).items
        : [data as { id: string }];
    for (const task of tasks) {
      const owner = ownerOf(task.id);
      if (owner !== undefined && owner !== resolved.userId) {
        problems.push(`call ${index}: task of ${owner} shown to ${resolved.userId}`);
      }
    }
    problems.push(
      ...storedAsSent({ procedure: each.procedure, fields: inputs[index] }, data).map(
        (problem) => `call ${index}: ${problem}`,
      ),
    );
    const id = (data as { id?: string }).id;
    if (id && each.procedure === "create") acknowledged.created.set(id, resolved.userId);
    if (id && (each.procedure === "update" || each.procedure === "toggle"))
      acknowledged.changed.add(id);
  });
  return problems;
}

// The baseline's answer to the batched tRPC scenario: the same request bytes a tRPC
// client sends (GET /trpc/tasks.list,tasks.get?batch=1&input={"0":...,"1":...}),
// served by hand. The calls run concurrently on the pool and come back in tRPC's
// batch envelope, so the scenario measures one round trip doing the same reads.
import type { FastifyInstance } from "fastify";
import type { Pool } from "pg";
import { isUuid } from "./cursor.ts";
import { parseListQuery } from "./list-query.ts";
import { getTask, listTasks } from "./tasks.ts";

type CallResult =
  { result: { data: unknown } } | { error: { message: string; data: { httpStatus: number } } };

type Procedure = (
  pool: Pool,
  userId: string,
  input: Record<string, unknown>,
) => Promise<CallResult>;

function failure(httpStatus: number, message: string): CallResult {
  return { error: { message, data: { httpStatus } } };
}

const PROCEDURES: Record<string, Procedure> = {
  "tasks.list": async (pool, userId, input) => {
    const query = parseListQuery(input);
    if (!query.ok) return failure(422, query.detail);
    return { result: { data: await listTasks(pool, userId, query.value) } };
  },
  "tasks.get": async (pool, userId, input) => {
    if (typeof input.id !== "string" || !isUuid(input.id))
      return failure(422, "The task id is not a UUID.");
    const lookup = await getTask(pool, userId, input.id);
    if (lookup.kind === "found") return { result: { data: lookup.task } };
    return lookup.kind === "forbidden"
      ? failure(403, "This task belongs to another user.")
      : failure(404, "There is no task with this id.");
  },
};

function parseInputs(raw: unknown): Record<string, unknown> | null {
  if (typeof raw !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function callInput(inputs: Record<string, unknown>, index: number): Record<string, unknown> {
  const input = inputs[String(index)];
  return typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
}

export function registerBatchRoute(app: FastifyInstance, pool: Pool): void {
  app.get<{ Params: { procedures: string }; Querystring: { batch?: string; input?: string } }>(
    "/trpc/:procedures",
    async (request, reply) => {
      const inputs = parseInputs(request.query.input);
      if (request.query.batch !== "1")
        return reply.code(404).send({ detail: "Only batched queries are served." });
      if (inputs === null) return reply.code(400).send({ detail: "input is not JSON." });
      const names = request.params.procedures.split(",");
      const procedures = names.map((name) => PROCEDURES[name]);
      if (procedures.some((procedure) => procedure === undefined)) {
        return reply.code(404).send({ detail: "No such procedure." });
      }
      const results = await Promise.all(
        procedures.map((procedure, index) =>
          (procedure as Procedure)(pool, request.userId, callInput(inputs, index)),
        ),
      );
      return reply.code(results.every((result) => "result" in result) ? 200 : 207).send(results);
    },
  );
}

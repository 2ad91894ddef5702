import {
  createCaller,
  problem,
  ProblemError,
  taskSchema,
  trpcErrorOf,
  type ProcedureServices,
  type Task,
} from "@tasks/api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { procedureContextOf, refuseUnauthenticated } from "../plugins/authentication.ts";
import { PRIVATE_REVALIDATE } from "../plugins/response-headers.ts";
import {
  etagOf,
  expectedVersionsOf,
  isNotModified,
  requestHeaders,
} from "./conditional-requests.ts";
import { responseSchemas } from "./openapi-responses.ts";
import { REST_PREFIX, restRoutes, TASK_PATH_PREFIX, type RestRoute } from "./route-table.ts";

function fieldsOf(value: unknown): object {
  return typeof value === "object" && value !== null ? value : {};
}

function locationOf(task: Task): string {
  return `${TASK_PATH_PREFIX}${task.id}`;
}

/**
 * Fastify gives a request without a body (or with an empty one) `body: null`; a
 * route that needs a body reports that as one clear issue rather than zod's
 * "expected object".
 */
async function requireBody(request: FastifyRequest): Promise<void> {
  if (request.body === null || request.body === undefined) {
    const issues = [{ path: "", message: "A JSON body is required." }];
    throw new ProblemError(problem("invalidInput", { issues }));
  }
}

type TaskProcedures = ReturnType<typeof createCaller>["tasks"];

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * If-Match as the procedures' `expectedVersion`. A list of several tags, or of
 * none that can match, is compared with the current version first; the write
 * then still expects that version, so a change in between is a 412 too.
 */
async function expectedVersionInput(
  request: FastifyRequest,
  tasks: TaskProcedures,
  id: string,
): Promise<{ expectedVersion?: number }> {
  const versions = expectedVersionsOf(headerOf(request, "if-match"));
  if (versions === "any") return {};
  if (versions.length === 1) return { expectedVersion: versions[0] };
  const { version } = await tasks.get({ id });
  if (versions.includes(version)) return { expectedVersion: version };
  throw trpcErrorOf(problem("preconditionFailed"));
}

/** What the route's request headers add to the procedure's input. */
async function headerInput(
  route: RestRoute,
  request: FastifyRequest,
  tasks: TaskProcedures,
  input: { id?: unknown },
): Promise<object> {
  if (route.headers === "write") return expectedVersionInput(request, tasks, String(input.id));
  if (route.headers === "create") {
    const idempotencyKey = headerOf(request, "idempotency-key");
    return idempotencyKey === undefined ? {} : { idempotencyKey };
  }
  return {};
}

/**
 * Runs the route's procedure through the caller with `{ ...query or body, ...params }`
 * and what its headers mean; the procedure validates its input again, so this
 * cast only names it. A single task leaves with its ETag.
 */
function handlerFor(route: RestRoute, services: ProcedureServices) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const tasks = createCaller(procedureContextOf(request, services, reply)).tasks;
    const procedure = tasks[route.procedure] as (input: unknown) => Promise<unknown>;
    const fields = route.querystring ? request.query : request.body;
    const input = { ...fieldsOf(fields), ...fieldsOf(request.params) };
    const result = await procedure({
      ...input,
      ...(await headerInput(route, request, tasks, input)),
    });

    if (route.method === "GET" && route.params) reply.headers(PRIVATE_REVALIDATE);
    if (route.response === taskSchema) {
      const task = result as Task;
      reply.header("etag", etagOf(task));
      if (route.headers === "read" && isNotModified(headerOf(request, "if-none-match"), task)) {
        return reply.code(304).send();
      }
    }
    reply.code(route.success);
    if (route.success === 204) return reply.send();
    if (route.success === 201) reply.header("location", locationOf(result as Task));
    return result;
  };
}

function schemaOf(route: RestRoute) {
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: ["tasks"],
    security: [{ bearerAuth: [] }],
    ...(route.params && { params: route.params }),
    ...(route.querystring && { querystring: route.querystring }),
    ...(route.headers && { headers: requestHeaders[route.headers] }),
    // Fastify validates a missing body as `null`.
    ...(route.body && { body: route.bodyOptional ? route.body.nullish() : route.body }),
    response: responseSchemas(route),
  };
}

/** The REST façade: one Fastify route per row of the route table. */
export function restFacade(scope: FastifyInstance, services: ProcedureServices): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  for (const route of restRoutes) {
    typed.route({
      method: route.method,
      url: `${REST_PREFIX}${route.url}`,
      schema: schemaOf(route),
      preParsing: refuseUnauthenticated,
      ...(route.body && !route.bodyOptional && { preValidation: requireBody }),
      handler: handlerFor(route, services),
    });
  }
}

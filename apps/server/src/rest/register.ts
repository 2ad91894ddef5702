import { createCaller, problem, ProblemError, type Task } from "@tasks/api";
import type { Database } from "@tasks/db";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { procedureContextOf, refuseUnauthenticated } from "../plugins/authentication.ts";
import { PRIVATE_REVALIDATE } from "../plugins/response-headers.ts";
import { responseSchemas } from "./openapi-responses.ts";
import { REST_PREFIX, restRoutes, type RestRoute } from "./route-table.ts";

function fieldsOf(value: unknown): object {
  return typeof value === "object" && value !== null ? value : {};
}

function locationOf(task: Task): string {
  return `${REST_PREFIX}/tasks/${task.id}`;
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

/**
 * Runs the route's procedure through the caller with `{ ...query or body, ...params }`;
 * the procedure validates its input again, so this cast only names it.
 */
function handlerFor(route: RestRoute, db: Database) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const procedure = createCaller(procedureContextOf(request, db)).tasks[route.procedure] as (
      input: unknown,
    ) => Promise<unknown>;
    const fields = route.querystring ? request.query : request.body;
    const result = await procedure({ ...fieldsOf(fields), ...fieldsOf(request.params) });

    reply.code(route.success);
    if (route.method === "GET" && route.params) reply.headers(PRIVATE_REVALIDATE);
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
    // Fastify validates a missing body as `null`.
    ...(route.body && { body: route.bodyOptional ? route.body.nullish() : route.body }),
    response: responseSchemas(route),
  };
}

/** The REST façade: one Fastify route per row of the route table. */
export function restFacade(scope: FastifyInstance, db: Database): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  for (const route of restRoutes) {
    typed.route({
      method: route.method,
      url: `${REST_PREFIX}${route.url}`,
      schema: schemaOf(route),
      preParsing: refuseUnauthenticated,
      ...(route.body && !route.bodyOptional && { preValidation: requireBody }),
      handler: handlerFor(route, db),
    });
  }
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { problemOf } from "../errors/classify.ts";
import { restBody, UNEXPECTED_PROBLEM, type Problem } from "../errors/problem.ts";
import { trpcErrorBody } from "../errors/trpc-envelope.ts";

function isTrpcRequest(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith("/trpc/") ?? false;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
): FastifyReply {
  reply.code(problem.status).headers(problem.headers ?? {});
  return reply.send(isTrpcRequest(request) ? trpcErrorBody(problem) : restBody(problem));
}

/**
 * JSON is the only body type. An empty body is no body (a toggle sent with
 * `Content-Type: application/json` and nothing else); anything else goes through
 * Fastify's parser, which guards against prototype poisoning.
 */
export function jsonBodiesOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

/** Every error leaves in API.md's shape; the unexpected ones are logged, never described. */
export function errorResponses(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemOf(error, bodyLimit);
    if (!problem) request.log.error({ err: error }, "request failed unexpectedly");
    else if (problem.status >= 500) request.log.warn({ err: error }, problem.detail);
    return sendProblem(request, reply, problem ?? UNEXPECTED_PROBLEM);
  });

  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) =>
    sendProblem(request, reply, {
      status: 404,
      detail: `No route matches ${request.method} ${request.url.split("?")[0]}.`,
    }),
  );
}

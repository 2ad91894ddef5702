import {
  problem,
  ProblemError,
  restBodyOf,
  trpcEnvelopeOf,
  type Problem,
  type TrpcCalls,
} from "@tasks/api";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { problemOf } from "../errors/classify.ts";
import { allowedMethods, type RouteMap } from "./route-map.ts";

/** The calls a tRPC request names, or `undefined` for any other request. */
function trpcCallsOf(request: FastifyRequest): TrpcCalls | undefined {
  if (!(request.routeOptions.url?.startsWith("/trpc/") ?? false)) return undefined;
  const { path = "" } = request.params as { path?: string };
  const isBatch = (request.query as Record<string, unknown>).batch === "1";
  return { paths: isBatch ? path.split(",") : [path], isBatch };
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: Problem,
): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  const calls = trpcCallsOf(request);
  return reply.send(calls ? trpcEnvelopeOf(answer, calls) : restBodyOf(answer));
}

/** Keeps a BOM, as Fastify's own parser does (JSON.parse then refuses it). */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The text of a JSON body, or a 400 for bytes that are not UTF-8. JSON is UTF-8
 * (RFC 8259): an encoded lone surrogate or a stray byte is malformed JSON, never
 * U+FFFD stored in its place.
 */
export function jsonText(body: string | Buffer): string | ProblemError {
  if (typeof body === "string") return body;
  try {
    return utf8.decode(body);
  } catch {
    return new ProblemError(problem("malformedJson"));
  }
}

/**
 * JSON is the only body type. An empty body is no body (a toggle sent with
 * `Content-Type: application/json` and nothing else); anything else goes through
 * Fastify's parser, which guards against prototype poisoning.
 */
export function jsonBodiesOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const text = jsonText(body);
    if (text instanceof ProblemError) {
      done(text, undefined);
      return;
    }
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

/** The answer to a path nobody serves (404), or serves with other methods (405 with Allow). */
function unroutedProblem(request: FastifyRequest, routes: RouteMap): Problem {
  const path = request.url.split("?", 1)[0] ?? "/";
  const allowed = allowedMethods(routes, path);
  return allowed.length > 0
    ? problem("methodNotAllowed", { method: request.method, allowed })
    : problem("routeNotFound", { method: request.method, path });
}

/** Every error leaves in API.md's shape; the unexpected ones are logged, never described. */
export function errorResponses(app: FastifyInstance, bodyLimit: number, routes: RouteMap): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = problemOf(error, bodyLimit);
    if (!known) request.log.error({ err: error }, "request failed unexpectedly");
    else if (known.status >= 500) request.log.warn({ err: error }, known.detail);
    return sendProblem(request, reply, known ?? problem("unexpected"));
  });

  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) =>
    sendProblem(request, reply, unroutedProblem(request, routes)),
  );
}

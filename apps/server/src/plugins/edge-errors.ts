import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { problem, ProblemError, restBodyOf, type Problem } from "@tasks/api";
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from "fastify";
import { problemOf } from "../errors/classify.ts";
import { REQUEST_ID_HEADER } from "./request-id.ts";
import { CORS_EXPOSED_HEADERS, SECURITY_HEADERS } from "./security-headers.ts";

/** Headers of every response; these answers are written before CORS could add its Vary. */
const EDGE_HEADERS = { ...SECURITY_HEADERS, vary: "Origin" };

/**
 * What CORS would have added for a caller from an allowed origin: without it, the
 * browser hides the answer from the page that asked.
 */
function crossOriginHeaders(request: FastifyRequest, origins: readonly string[]) {
  const { origin } = request.headers;
  if (origin === undefined || !origins.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": CORS_EXPOSED_HEADERS.join(", "),
  };
}

/**
 * Errors Fastify's router meets before any hook runs (a URL that is not valid
 * percent-encoding, a path parameter over the length limit): answered in API.md's
 * shape with the headers every response carries, CORS's included.
 */
export function frameworkErrorsFor(
  origins: readonly string[],
): NonNullable<FastifyServerOptions["frameworkErrors"]> {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const answer =
      error.code === "FST_ERR_MAX_PARAM_LENGTH"
        ? problem("uriTooLong")
        : (problemOf(error, 0) ?? problem("malformedRequest", { reason: "the URL is not valid" }));
    reply
      .code(answer.status)
      .headers({
        ...EDGE_HEADERS,
        ...crossOriginHeaders(request, origins),
        ...answer.headers,
        [REQUEST_ID_HEADER]: request.id,
      })
      .send(restBodyOf(answer));
  };
}

/** Node's own refusals of a connection's request: timeouts, oversized headers, bad HTTP. */
function clientProblem(error: NodeJS.ErrnoException): Problem {
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return problem("requestTimeout");
  if (error.code === "HPE_HEADER_OVERFLOW") return problem("headersTooLarge");
  if (error.code === "HPE_URI_TOO_LONG") return problem("uriTooLong");
  return problem("malformedRequest", { reason: "it is not valid HTTP/1.1" });
}

function rawResponse(answer: Problem): string {
  const body = JSON.stringify(restBodyOf(answer));
  const headers: Record<string, unknown> = {
    ...EDGE_HEADERS,
    ...answer.headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    [REQUEST_ID_HEADER]: randomUUID(),
    connection: "close",
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${String(value)}`);
  return `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

/**
 * What Fastify's default client-error handler does (Node's `clientError` event:
 * the request never became one), with API.md's body and headers. The socket
 * carries no request to answer once it is reset or destroyed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (socket.writable) socket.write(rawResponse(clientProblem(error)));
  socket.destroy(error);
}

/** Whether every percent-escape of a query string is there and spells UTF-8. */
function isPercentEncodedUtf8(search: string): boolean {
  if (!search.includes("%")) return true;
  try {
    decodeURIComponent(search);
    return true;
  } catch {
    return false;
  }
}

/**
 * A query string whose escapes are not UTF-8 (`%ED%A0%80`, `%FF`, `%ZZ`) is a
 * malformed URL (400), as the same escape in the path is. Fastify's query parser
 * would hand the route U+FFFD or the escape itself instead of refusing it.
 */
export function refuseMalformedQueries(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    const start = request.url.indexOf("?");
    if (start !== -1 && !isPercentEncodedUtf8(request.url.slice(start + 1))) {
      throw new ProblemError(
        problem("malformedRequest", { reason: "the query string is not percent-encoded UTF-8" }),
      );
    }
  });
}

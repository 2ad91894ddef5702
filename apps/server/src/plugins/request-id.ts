import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { z } from "zod";

export const REQUEST_ID_HEADER = "x-request-id";

const REQUEST_ID_MAX_LENGTH = 128;

/** Short, printable ids only: a client's id ends up in logs and response headers. */
const SANE_REQUEST_ID = new RegExp(`^[\\w.:@-]{1,${REQUEST_ID_MAX_LENGTH}}$`);

/** What `x-request-id` holds, for the OpenAPI document. */
export const requestIdHeaderRule = {
  description:
    "The client's own x-request-id when it is sane (letters, digits and _ . : @ -), else a new UUID; the request's log line carries it too",
  schema: z.string().regex(SANE_REQUEST_ID).max(REQUEST_ID_MAX_LENGTH),
};

/** Keeps the caller's request id when it is sane (for tracing across services), else makes one. */
export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Sets `x-request-id` first thing, so every response carries it, errors included. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}

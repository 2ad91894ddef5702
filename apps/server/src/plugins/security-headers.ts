import { IncomingMessage, ServerResponse, type OutgoingHttpHeaders } from "node:http";
import { Socket } from "node:net";
import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";
import { z } from "zod";
import type { ServerSettings } from "../config.ts";
import { RATE_LIMIT_HEADERS } from "./rate-limit.ts";

/**
 * The headers helmet's defaults set, read once from a response it has handled:
 * they depend on no request, and running its dozen middlewares (each validating
 * its header) on every request cost about 3 % of the server's CPU (docs/benchmarks.md).
 */
function helmetHeaders(): OutgoingHttpHeaders {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet()(request, response, () => undefined);
  return response.getHeaders();
}

/** What every response carries, errors written before any hook ran included. */
export const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = helmetHeaders();

/** Security headers on every response; the API serves JSON only, so helmet's default CSP fits. */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
}

/** The request headers a browser may send cross-origin (API.md "Around the API"). */
export const CORS_REQUEST_HEADERS = [
  "Authorization",
  "Content-Type",
  "If-Match",
  "If-None-Match",
  "Idempotency-Key",
  "Last-Event-ID",
] as const;

/** The response headers a browser's script may read. */
export const CORS_EXPOSED_HEADERS = [
  "Location",
  "Retry-After",
  "ETag",
  "Idempotent-Replayed",
  "x-request-id",
  ...RATE_LIMIT_HEADERS,
] as const;

/** What `Access-Control-Allow-Origin` holds, for the OpenAPI document. */
export function allowOriginHeaderRule(origins: readonly string[]) {
  return {
    description: "Sent to a browser calling from one of the configured origins: that origin",
    schema: z.literal(origins),
  };
}

/** Browsers may call the API only from the configured origins (the frontend's). */
export async function crossOrigin(
  app: FastifyInstance,
  config: Pick<ServerSettings, "CORS_ORIGINS">,
): Promise<void> {
  await app.register(cors, {
    origin: config.CORS_ORIGINS,
    credentials: true,
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: [...CORS_REQUEST_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: 600,
    // An OPTIONS request that is not a browser preflight (no Origin) gets an empty
    // 204 granting nothing, rather than the plugin's plain-text 400.
    strictPreflight: false,
  });
}

import { IncomingMessage, ServerResponse, type OutgoingHttpHeaders } from "node:http";
import { Socket } from "node:net";
import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";
import type { ServerSettings } from "../config.ts";

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

/** Security headers on every response; the API serves JSON only, so helmet's default CSP fits. */
export function securityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders();
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
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
    allowedHeaders: ["Authorization", "Content-Type"],
    exposedHeaders: ["Location", "Retry-After", "x-request-id"],
    maxAge: 600,
    // An OPTIONS request that is not a browser preflight (no Origin) gets an empty
    // 204 granting nothing, rather than the plugin's plain-text 400.
    strictPreflight: false,
  });
}

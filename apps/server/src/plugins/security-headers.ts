import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";
import type { ServerSettings } from "../config.ts";

/**
 * Security headers on every response; the API serves JSON only, so helmet's
 * default CSP fits. The middleware is built once: @fastify/helmet built it again
 * (parsing the CSP directives) on every request (docs/benchmarks.md).
 */
export function securityHeaders(app: FastifyInstance): void {
  const setHeaders = helmet();
  app.addHook("onRequest", (request, reply, done) => {
    setHeaders(request.raw, reply.raw, () => done());
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
  });
}

import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import type { ServerSettings } from "../config.ts";

/** Security headers on every response; the API serves JSON only, so the default CSP fits. */
export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { global: true });
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

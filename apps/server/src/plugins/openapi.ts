import swagger from "@fastify/swagger";
import apiReference from "@scalar/fastify-api-reference";
import { problemSchema, taskCountsSchema, taskPageSchema, taskSchema } from "@tasks/api";
import type { FastifyInstance } from "fastify";
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { documentResponseHeaders, documentRoutes } from "../rest/openapi-responses.ts";
import { REST_PREFIX } from "../rest/route-table.ts";

export const OPENAPI_PATH = `${REST_PREFIX}/openapi.json`;
export const DOCS_PATH = "/docs";

/** Named components of the document; kept apart from zod's global registry. */
function componentRegistry() {
  const registry = z.registry<{ id: string }>();
  registry.add(taskSchema, { id: "Task" });
  registry.add(taskPageSchema, { id: "TaskPage" });
  registry.add(taskCountsSchema, { id: "TaskCounts" });
  registry.add(problemSchema, { id: "Problem" });
  return registry;
}

/**
 * Collects every route registered after it into an OpenAPI 3.1 document built
 * from the routes' zod schemas. Only tagged routes are listed (not /trpc).
 */
export async function openApiDocument(app: FastifyInstance): Promise<void> {
  const schemaRegistry = componentRegistry();
  const componentsFromZod = createJsonSchemaTransformObject({ schemaRegistry });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tasks API",
        version: "1.0.0",
        description: "The REST façade of the tasks procedures. Errors are `{ detail, errors? }`.",
      },
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
      tags: [
        { name: "tasks", description: "The caller's tasks (bearer token required)" },
        { name: "operations", description: "Liveness and readiness probes" },
      ],
    },
    hideUntagged: true,
    transform: createJsonSchemaTransform({ schemaRegistry }),
    transformObject: (document) =>
      documentRoutes(documentResponseHeaders(componentsFromZod(document))),
  });
}

/** Relaxed CSP for the docs page only: Scalar renders with an inline bootstrap script. */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline' https:",
  "img-src 'self' data: https:",
  "font-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'self'",
].join("; ");

/** `GET /api/v1/openapi.json` and the interactive page at `/docs`. */
export async function documentationRoutes(app: FastifyInstance): Promise<void> {
  app.get(OPENAPI_PATH, { config: { rateLimit: false } }, async () => app.swagger());

  await app.register(async (docs) => {
    // Runs after helmet's hook, so this header replaces the API's strict default.
    docs.addHook("onRequest", async (_request, reply) => {
      reply.header("content-security-policy", DOCS_CSP);
    });
    await docs.register(apiReference, {
      routePrefix: DOCS_PATH,
      configuration: { url: OPENAPI_PATH, title: "Tasks API" },
      logLevel: "warn",
    });
  });
}

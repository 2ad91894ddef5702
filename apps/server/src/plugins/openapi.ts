import swagger from "@fastify/swagger";
import { problemSchema, taskCountsSchema, taskPageSchema, taskSchema } from "@tasks/api";
import type { FastifyInstance } from "fastify";
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
} from "fastify-type-provider-zod";
import { z } from "zod";
import serverPackage from "../../package.json" with { type: "json" };
import type { ServerSettings } from "../config.ts";
import { finishDocument, type CommonHeaders } from "../rest/openapi-document.ts";
import { documentRoutes, errorResponse, headerObject } from "../rest/openapi-responses.ts";
import { REST_PREFIX } from "../rest/route-table.ts";
import { docsPage } from "./docs-page.ts";
import { rateLimitHeaderRules } from "./rate-limit.ts";
import { REQUEST_ID_HEADER, requestIdHeaderRule } from "./request-id.ts";
import { allowOriginHeaderRule } from "./security-headers.ts";

export const OPENAPI_PATH = `${REST_PREFIX}/openapi.json`;

export type DocumentSettings = Pick<
  ServerSettings,
  "CORS_ORIGINS" | "RATE_LIMIT_MAX" | "RATE_LIMIT_WINDOW_MS"
>;

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
 * The document reads metadata from the component registry alone; the schemas'
 * `.meta()` (constraints JSON Schema cannot infer, descriptions, examples) lives in
 * zod's global one, so each converted schema takes it from there. This replaces the
 * library's default override, which only rewrites z.date(), z.undefined() and empty
 * union branches: none of these schemas has them.
 */
const zodToJsonConfig = {
  override: ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: object }) => {
    const meta = { ...z.globalRegistry.get(zodSchema) };
    delete meta.id;
    Object.assign(jsonSchema, meta);
  },
};

function commonHeaders(settings: DocumentSettings): CommonHeaders {
  const objects = (rules: Record<string, Parameters<typeof headerObject>[0]>) =>
    Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, headerObject(rule)]));
  return {
    everyResponse: objects({
      [REQUEST_ID_HEADER]: requestIdHeaderRule,
      "Access-Control-Allow-Origin": allowOriginHeaderRule(settings.CORS_ORIGINS),
    }),
    rateLimited: objects(rateLimitHeaderRules(settings)),
  };
}

const BEARER_DESCRIPTION =
  "A JWT from the configured issuer (Better Auth's JWT plugin by default), verified as RFC8725 " +
  "advises: signature against allow-listed algorithms only, exp required, iss and aud checked when configured.";

/** Paths are absolute, so the document fits every deployment that serves it. */
const thisServer = {
  url: "/",
  description: "The deployment serving this document, local, staging or production alike",
  // The public API, not one for internal callers only (OWASP API9).
  "x-internal": false,
};

/** Whether a route opted out of the rate limit (`config: { rateLimit: false }`). */
function skipsRateLimit(route: { config?: unknown }): boolean {
  return Reflect.get(Object(route.config), "rateLimit") === false;
}

/**
 * Collects every route registered after it into an OpenAPI 3.1 document built
 * from the routes' zod schemas. Only tagged routes are listed (not /trpc).
 */
export async function openApiDocument(
  app: FastifyInstance,
  settings: DocumentSettings,
): Promise<void> {
  const schemaRegistry = componentRegistry();
  const componentsFromZod = createJsonSchemaTransformObject({ schemaRegistry, zodToJsonConfig });
  const routeFromZod = createJsonSchemaTransform({ schemaRegistry, zodToJsonConfig });
  const unlimited = new Set<string>();
  const headers = commonHeaders(settings);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tasks API",
        version: "1.0.0",
        description: "The REST façade of the tasks procedures. Errors are `{ detail, errors? }`.",
        license: { name: serverPackage.license, identifier: serverPackage.license },
      },
      servers: [thisServer],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "JWT",
            description: BEARER_DESCRIPTION,
          },
        },
      },
      tags: [
        { name: "tasks", description: "The caller's tasks (bearer token required)" },
        { name: "operations", description: "Liveness and readiness probes" },
        { name: "documentation", description: "This document" },
      ],
    },
    hideUntagged: true,
    transform: (input) => {
      const operationId = Reflect.get(Object(input.schema), "operationId");
      if (skipsRateLimit(input.route) && typeof operationId === "string") {
        unlimited.add(operationId);
      }
      return routeFromZod(input);
    },
    transformObject: (document) =>
      documentRoutes(finishDocument(componentsFromZod(document), { headers, unlimited })),
  });
}

const documentSchema = z.looseObject({ openapi: z.literal("3.1.0") });

/** `GET /api/v1/openapi.json` and the interactive page at `/docs`. */
export async function documentationRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    OPENAPI_PATH,
    {
      config: { rateLimit: false },
      schema: {
        operationId: "openApiDocument",
        summary: "This OpenAPI document",
        tags: ["documentation"],
        security: [],
        response: {
          200: {
            description: "The OpenAPI 3.1 document",
            content: { "application/json": { schema: documentSchema } },
          },
          500: errorResponse("unexpected"),
        },
      },
    },
    async () => app.swagger(),
  );

  await app.register(docsPage, { documentUrl: OPENAPI_PATH });
}

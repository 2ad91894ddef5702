import { Validator } from "@seriousme/openapi-schema-validator";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorStatuses, successStatuses } from "../src/rest/openapi-responses.ts";
import { REST_PREFIX, restRoutes } from "../src/rest/route-table.ts";
import { TestServer } from "./support/server.ts";

const [driver = "pglite"] = testDrivers();

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, unknown>;
      content?: Record<string, { schema: unknown }>;
    }
  >;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
}

/** `/tasks/:id` in Fastify's form is `/tasks/{id}` in OpenAPI's. */
function openApiPath(url: string): string {
  return `${REST_PREFIX}${url}`.replace(/:(\w+)/g, "{$1}");
}

describe("the OpenAPI document", () => {
  let server: TestServer;
  let document: Document;
  let raw: Record<string, unknown>;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    const reply = await server.request("GET", "/api/v1/openapi.json");
    expect(reply.status).toBe(200);
    raw = reply.body as Record<string, unknown>;
    document = reply.body as Document;
  });
  afterAll(() => server.close());

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(raw));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every REST route with its method, success status and every error status", () => {
    for (const route of restRoutes) {
      const operation = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      if (!operation) continue;
      expect(operation.operationId).toBe(route.operationId);
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
      const statuses = Object.keys(operation.responses)
        .map(Number)
        .sort((a, b) => a - b);
      expect(statuses).toEqual(
        [...successStatuses(route), ...errorStatuses(route)].sort((a, b) => a - b),
      );
      for (const status of errorStatuses(route)) {
        const response = operation.responses[String(status)];
        expect(response?.description.length, `${route.operationId} ${status}`).toBeGreaterThan(0);
        expect(JSON.stringify(response?.content)).toContain("#/components/schemas/Problem");
      }
    }
    const documented = Object.values(document.paths).flatMap((methods) => Object.keys(methods));
    expect(documented).toHaveLength(restRoutes.length + 2);
  });

  it("declares the bearer scheme and the shared schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.bearerAuth).toEqual({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["Task", "TaskPage", "TaskCounts", "Problem"]),
    );
  });

  it("documents parameters, the query and the bodies from the zod schemas", () => {
    const list = document.paths[`${REST_PREFIX}/tasks`]?.get;
    expect(list?.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(["status", "sort", "order", "q", "limit", "cursor"]),
    );
    const get = document.paths[`${REST_PREFIX}/tasks/{id}`]?.get;
    expect(get?.parameters?.filter((parameter) => parameter.in === "path")).toEqual([
      expect.objectContaining({ name: "id", in: "path" }),
    ]);
    const create = document.paths[`${REST_PREFIX}/tasks`]?.post;
    expect(Object.keys(create?.requestBody?.content ?? {})).toEqual(["application/json"]);
    expect(Object.keys(create?.responses["201"]?.headers ?? {})).toEqual([
      "Location",
      "ETag",
      "Idempotent-Replayed",
    ]);
    expect(Object.keys(create?.responses["401"]?.headers ?? {})).toEqual(["WWW-Authenticate"]);
    expect(Object.keys(create?.responses["429"]?.headers ?? {})).toEqual(["Retry-After"]);
    expect(Object.keys(create?.responses["503"]?.headers ?? {})).toEqual(["Retry-After"]);
    const remove = document.paths[`${REST_PREFIX}/tasks/{id}`]?.delete;
    expect(remove?.responses["204"]?.content).toBeUndefined();
  });

  it("documents versions, conditional requests and idempotency keys", () => {
    const task = document.components.schemas.Task as { required: string[] };
    expect(task.required).toContain("version");
    const paths = document.paths;
    const get = paths[`${REST_PREFIX}/tasks/{id}`]?.get;
    expect(get?.parameters?.map((parameter) => [parameter.name, parameter.in])).toContainEqual([
      "if-none-match",
      "header",
    ]);
    expect(Object.keys(get?.responses["200"]?.headers ?? {})).toContain("ETag");
    expect(Object.keys(get?.responses["304"]?.headers ?? {})).toContain("ETag");
    expect(get?.responses["304"]?.content).toBeUndefined();
    for (const [path, method] of [
      ["/tasks/{id}", "put"],
      ["/tasks/{id}", "patch"],
      ["/tasks/{id}", "delete"],
      ["/tasks/{id}/toggle", "patch"],
    ] as const) {
      const operation = paths[`${REST_PREFIX}${path}`]?.[method];
      expect(operation?.parameters?.map((parameter) => parameter.name)).toContain("if-match");
      expect(operation?.responses["412"], `${method} ${path}`).toBeDefined();
    }
    const create = paths[`${REST_PREFIX}/tasks`]?.post;
    expect(create?.parameters?.map((parameter) => parameter.name)).toContain("idempotency-key");
    expect(create?.responses["409"]?.description).toMatch(/in flight/);
    expect(create?.responses["422"]?.description).toMatch(/Idempotency-Key/);
    expect(paths[`${REST_PREFIX}/tasks/counts`]?.get?.operationId).toBe("countTasks");
    expect(paths[`${REST_PREFIX}/tasks`]?.patch?.operationId).toBe("updateAllTasks");
    const clear = paths[`${REST_PREFIX}/tasks`]?.delete;
    expect(clear?.parameters).toContainEqual(
      expect.objectContaining({ name: "status", in: "query", required: true }),
    );
  });

  it("leaves /trpc out: it is tRPC's wire format, not part of the REST contract", () => {
    expect(Object.keys(document.paths).some((path) => path.startsWith("/trpc"))).toBe(false);
  });
});

import { Validator } from "@seriousme/openapi-schema-validator";
import {
  CODE_POINTS_PER_CHARACTER,
  DESCRIPTION_MAX,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  TITLE_MAX,
} from "@tasks/api";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import serverPackage from "../package.json" with { type: "json" };
import { DOCS_OFFLINE } from "../src/plugins/docs-page.ts";
import { RATE_LIMIT_HEADERS } from "../src/plugins/rate-limit.ts";
import { REQUEST_ID_HEADER } from "../src/plugins/request-id.ts";
import { errorStatuses, successStatuses } from "../src/rest/openapi-responses.ts";
import { REST_PREFIX, restRoutes } from "../src/rest/route-table.ts";
import { TestServer } from "./support/server.ts";

const [driver = "pglite"] = testDrivers();

/** Small enough figures that a wrong bound in the document shows. */
const RATE_LIMIT_MAX = 5000;
const RATE_LIMIT_WINDOW_S = 30;
const ORIGIN = "https://app.example.com";

type Schema = Record<string, unknown>;
type Ref = { $ref: string };
type HeaderObject = { description: string; schema: Schema };

interface Response {
  description: string;
  headers?: Record<string, Ref | HeaderObject>;
  content?: Record<string, { schema: Schema }>;
}

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema: Schema; description?: string }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
}

interface Document {
  openapi: string;
  info: { license?: { name: string; identifier?: string } };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, Schema>;
    schemas: Record<string, Schema>;
    headers: Record<string, { description: string; schema: Schema }>;
  };
}

/** `/tasks/:id` in Fastify's form is `/tasks/{id}` in OpenAPI's. */
function openApiPath(url: string): string {
  return `${REST_PREFIX}${url}`.replace(/:(\w+)/g, "{$1}");
}

/** Every object in `node`, depth first. */
function* objectsIn(node: unknown): Generator<Schema> {
  if (Array.isArray(node)) {
    for (const item of node) yield* objectsIn(item);
  } else if (typeof node === "object" && node !== null) {
    yield node as Schema;
    for (const value of Object.values(node)) yield* objectsIn(value);
  }
}

describe("the OpenAPI document", () => {
  let server: TestServer;
  let document: Document;
  let raw: Record<string, unknown>;

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
  const operationOf = (path: string, method: string): Operation => {
    const operation = document.paths[`${REST_PREFIX}${path}`]?.[method];
    if (!operation) throw new Error(`no ${method} ${path}`);
    return operation;
  };
  const bodySchema = (operation: Operation): Schema => {
    const schema = operation.requestBody?.content["application/json"]?.schema;
    if (!schema) throw new Error(`${operation.operationId} has no JSON body`);
    return schema;
  };
  const propertyOf = (schema: Schema, name: string): Schema =>
    (schema.properties as Record<string, Schema>)[name] ?? {};
  /** A nullable property's non-null branch. */
  const stringBranch = (schema: Schema): Schema =>
    (schema.anyOf as Schema[] | undefined)?.find((branch) => branch.type === "string") ?? schema;
  /** A response's header, inline or referred to in `components.headers`. */
  const header = (entry: Ref | HeaderObject | undefined): HeaderObject | undefined =>
    entry && "$ref" in entry
      ? document.components.headers[entry.$ref.replace("#/components/headers/", "")]
      : entry;

  beforeAll(async () => {
    server = await TestServer.start(driver, {
      env: {
        RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
        RATE_LIMIT_WINDOW_MS: String(RATE_LIMIT_WINDOW_S * 1000),
        CORS_ORIGINS: ORIGIN,
      },
    });
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
    // Besides the route table: /health, /ready, the document itself and the event stream.
    expect(operations()).toHaveLength(restRoutes.length + 4);
  });

  it("documents the event stream: text/event-stream, Last-Event-ID, 401, 429 and 503", () => {
    const operation = document.paths[`${REST_PREFIX}/tasks/events`]?.get;
    expect(operation?.operationId).toBe("taskEvents");
    expect(operation?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual([
      "200",
      "401",
      "429",
      "500",
      "503",
    ]);
    expect(JSON.stringify(operation?.responses["200"])).toContain("text/event-stream");
    expect(JSON.stringify(operation?.responses["429"])).toContain("Retry-After");
    expect(JSON.stringify(operation)).toContain("last-event-id");
  });

  it("gives every task operation 401, 429 and 500, and every operation 500", () => {
    for (const { path, method, operation } of operations()) {
      const needed = operation.security?.length ? ["401", "429", "500"] : ["500"];
      for (const status of needed) {
        const response = operation.responses[status];
        expect(response, `${method} ${path} ${status}`).toBeDefined();
        expect(JSON.stringify(response?.content)).toContain("#/components/schemas/Problem");
      }
    }
  });

  it("declares the bearer scheme, the server, the license and the shared schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    expect(document.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(serverPackage.license).toBe("MIT");
    expect(document.info.license).toEqual({
      name: serverPackage.license,
      identifier: serverPackage.license,
    });
    expect(Object.keys(document.components.schemas).sort()).toEqual(
      ["Problem", "Task", "TaskCounts", "TaskPage"].sort(),
    );
  });

  it("needs no token for the probes and the document itself", () => {
    for (const path of ["/health", "/ready", `${REST_PREFIX}/openapi.json`]) {
      expect(document.paths[path]?.get?.security, path).toEqual([]);
    }
  });

  it("lists only components something refers to", () => {
    const text = JSON.stringify(document.paths);
    const components = JSON.stringify(document.components);
    for (const name of Object.keys(document.components.schemas)) {
      expect(`${text}${components}`, name).toContain(`"#/components/schemas/${name}"`);
    }
    for (const name of Object.keys(document.components.headers)) {
      expect(text, name).toContain(`"#/components/headers/${name}"`);
    }
  });

  it("documents parameters, the query and the bodies from the zod schemas", () => {
    const list = operationOf("/tasks", "get");
    expect(list.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(["status", "sort", "order", "q", "limit", "cursor"]),
    );
    const get = operationOf("/tasks/{id}", "get");
    expect(get.parameters?.filter((parameter) => parameter.in === "path")).toEqual([
      expect.objectContaining({ name: "id", in: "path" }),
    ]);
    const create = operationOf("/tasks", "post");
    expect(Object.keys(create.requestBody?.content ?? {})).toEqual(["application/json"]);
    const remove = operationOf("/tasks/{id}", "delete");
    expect(remove.responses["204"]?.content).toBeUndefined();
  });

  it("states the text limits from the schemas' constants, in code points", () => {
    const titleMax = TITLE_MAX * CODE_POINTS_PER_CHARACTER;
    const descriptionMax = DESCRIPTION_MAX * CODE_POINTS_PER_CHARACTER;
    for (const operation of [
      operationOf("/tasks", "post"),
      operationOf("/tasks/{id}", "put"),
      operationOf("/tasks/{id}", "patch"),
    ]) {
      const body = bodySchema(operation);
      const title = propertyOf(body, "title");
      expect(title).toMatchObject({ type: "string", minLength: 1, maxLength: titleMax });
      expect(new RegExp(String(title.pattern)).test(" \t\n")).toBe(false);
      expect(new RegExp(String(title.pattern)).test(" a ")).toBe(true);
      expect(String(title.description)).toContain(`${TITLE_MAX} user-perceived characters`);
      const description = stringBranch(propertyOf(body, "description"));
      expect(description).toMatchObject({ type: "string", maxLength: descriptionMax });
      expect(String(description.description)).toContain(`${DESCRIPTION_MAX} user-perceived`);
      expect(body.additionalProperties).toBe(false);
    }
    const task = document.components.schemas.Task ?? {};
    expect(propertyOf(task, "title").maxLength).toBe(titleMax);
    expect(stringBranch(propertyOf(task, "description")).maxLength).toBe(descriptionMax);
    const q = operationOf("/tasks", "get").parameters?.find(({ name }) => name === "q");
    expect(q?.schema.maxLength).toBe(titleMax);
  });

  it("says an update needs at least one field", () => {
    for (const method of ["put", "patch"]) {
      expect(bodySchema(operationOf("/tasks/{id}", method)).minProperties).toBe(1);
    }
    expect(bodySchema(operationOf("/tasks", "post")).minProperties).toBeUndefined();
  });

  it("bounds the page size as the schema does, as a 32-bit integer", () => {
    const limit = operationOf("/tasks", "get").parameters?.find(({ name }) => name === "limit");
    expect(limit?.schema).toEqual({
      type: "integer",
      format: "int32",
      minimum: 1,
      maximum: PAGE_SIZE_MAX,
      default: PAGE_SIZE_DEFAULT,
    });
    expect(propertyOf(document.components.schemas.TaskPage ?? {}, "items").maxItems).toBe(
      PAGE_SIZE_MAX,
    );
  });

  it("gives every integer a format and both bounds", () => {
    const integers = [...objectsIn(document)].filter((node) => node.type === "integer");
    expect(integers.length).toBeGreaterThan(0);
    for (const integer of integers) {
      expect(integer, JSON.stringify(integer)).toMatchObject({
        format: expect.stringMatching(/^int(32|64)$/),
        minimum: expect.any(Number),
        maximum: expect.any(Number),
      });
    }
  });

  it("marks toggle's body optional and every other body required", () => {
    for (const route of restRoutes.filter((candidate) => candidate.body)) {
      const operation = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(operation?.requestBody?.required, route.operationId).toBe(!route.bodyOptional);
    }
    expect(restRoutes.some((route) => route.bodyOptional)).toBe(true);
  });

  it("documents x-request-id and CORS on every response, and the rate-limit headers where they apply", () => {
    for (const { path, method, operation } of operations()) {
      const limited = Boolean(operation.security?.length);
      for (const [status, response] of Object.entries(operation.responses)) {
        const names = Object.keys(response.headers ?? {});
        const where = `${method} ${path} ${status}`;
        expect(names, where).toEqual(
          expect.arrayContaining([REQUEST_ID_HEADER, "Access-Control-Allow-Origin"]),
        );
        for (const name of RATE_LIMIT_HEADERS) expect(names.includes(name), where).toBe(limited);
        for (const ref of Object.values(response.headers ?? {})) expect(header(ref)).toBeDefined();
      }
    }
  });

  it("bounds the rate-limit headers by the configuration", () => {
    const responses = operationOf("/tasks", "get").responses;
    const schemaOf = (name: string) => header(responses["200"]?.headers?.[name])?.schema;
    expect(schemaOf("X-RateLimit-Limit")).toMatchObject({
      minimum: RATE_LIMIT_MAX,
      maximum: RATE_LIMIT_MAX,
    });
    expect(schemaOf("X-RateLimit-Remaining")).toMatchObject({
      minimum: 0,
      maximum: RATE_LIMIT_MAX,
    });
    expect(schemaOf("X-RateLimit-Reset")).toMatchObject({
      minimum: 0,
      maximum: RATE_LIMIT_WINDOW_S,
    });
    expect(schemaOf("Access-Control-Allow-Origin")).toMatchObject({ const: ORIGIN });
    expect(Object.keys(responses["429"]?.headers ?? {})).toContain("Retry-After");
    expect(Object.keys(responses["401"]?.headers ?? {})).toContain("WWW-Authenticate");
    expect(Object.keys(operationOf("/tasks", "post").responses["201"]?.headers ?? {})).toContain(
      "Location",
    );
  });

  it("documents headers the responses really carry, with values inside their schemas", async () => {
    const token = await server.tokenFor();
    const create = () =>
      server.request("POST", "/api/v1/tasks", {
        token,
        body: { title: "Headers" },
        headers: { origin: ORIGIN, "idempotency-key": "documented-headers" },
      });
    await create();
    // The replay carries every header a 201 can: Idempotent-Replayed only comes with one.
    const reply = await create();
    expect(reply.status).toBe(201);
    const headers = operationOf("/tasks", "post").responses["201"]?.headers ?? {};
    for (const [name, ref] of Object.entries(headers)) {
      const value = reply.headers.get(name);
      expect(value, name).not.toBeNull();
      const schema = header(ref)?.schema ?? {};
      if (schema.type === "integer") {
        expect(Number(value)).toBeGreaterThanOrEqual(Number(schema.minimum));
        expect(Number(value)).toBeLessThanOrEqual(Number(schema.maximum));
      } else if (schema.pattern) {
        expect(value).toMatch(new RegExp(String(schema.pattern)));
      } else {
        expect(value).toBe(schema.const);
      }
      expect(String(value).length).toBeLessThanOrEqual(Number(schema.maxLength ?? Infinity));
    }
  });

  it("gives examples the server accepts", async () => {
    const token = await server.tokenFor();
    const exampleOf = (schema: Schema) =>
      Object.fromEntries(
        Object.entries(schema.properties as Record<string, Schema>).flatMap(([name, property]) => {
          const examples = (stringBranch(property).examples ?? property.examples) as unknown[];
          return examples?.length ? [[name, examples[0]]] : [];
        }),
      );
    const created = exampleOf(bodySchema(operationOf("/tasks", "post")));
    expect(Object.keys(created)).toEqual(expect.arrayContaining(["title", "description"]));
    const reply = await server.request("POST", "/api/v1/tasks", { token, body: created });
    expect(reply.status, reply.text).toBe(201);
    const { id } = reply.body as { id: string };
    const updated = exampleOf(bodySchema(operationOf("/tasks/{id}", "put")));
    const update = await server.request("PUT", `/api/v1/tasks/${id}`, { token, body: updated });
    expect(update.status, update.text).toBe(200);
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

describe("the docs page", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
  });
  afterAll(() => server.close());

  it("turns off every control that needs Scalar's services", async () => {
    const page = await server.request("GET", "/docs/");
    expect(page.status).toBe(200);
    const configuration = /createApiReference\([^,]+,\s*(\{[\s\S]*?\})\s*\)/.exec(page.text)?.[1];
    expect(JSON.parse(configuration ?? "null")).toMatchObject({
      url: "/api/v1/openapi.json",
      ...DOCS_OFFLINE,
    });
    expect(DOCS_OFFLINE).toMatchObject({ withDefaultFonts: false, telemetry: false });
  });

  it("loads nothing from another origin", async () => {
    const page = await server.request("GET", "/docs/");
    expect(page.text).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
    expect((await server.request("GET", "/docs/js/scalar.js")).status).toBe(200);
  });
});

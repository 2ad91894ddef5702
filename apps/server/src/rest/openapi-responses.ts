import {
  errorCatalogue,
  problemSchema,
  taskIdSchema,
  taskSchema,
  UUID_TEXT_LENGTH,
  VERSION_MAX,
  type ErrorKindName,
} from "@tasks/api";
import { z } from "zod";
import { REQUEST_HEADER_DESCRIPTIONS } from "./conditional-requests.ts";
import { REST_PREFIX, restRoutes, TASK_PATH_PREFIX, type RestRoute } from "./route-table.ts";

/** The errors a route can answer with, derived from what it reads. */
export function errorKinds(route: RestRoute): ErrorKindName[] {
  const kinds = new Set<ErrorKindName>([
    "unauthenticated",
    "rateLimited",
    "unexpected",
    "databaseUnavailable",
    "issuerUnavailable",
  ]);
  const add = (...more: ErrorKindName[]) => more.forEach((kind) => kinds.add(kind));
  if (route.params) add("forbidden", "taskNotFound", "invalidInput");
  if (route.querystring) add("invalidInput");
  if (route.body) add("malformedJson", "bodyTooLarge", "unsupportedMediaType", "invalidInput");
  if (route.headers === "write") add("preconditionFailed");
  if (route.headers === "create") add("idempotencyKeyInFlight", "idempotencyKeyReused");
  return [...kinds];
}

/** The statuses a route answers without error: its success, and 304 where it revalidates. */
export function successStatuses(route: RestRoute): number[] {
  return route.headers === "read" ? [route.success, 304] : [route.success];
}

/** The statuses of `errorKinds`, in order. */
export function errorStatuses(route: RestRoute): number[] {
  const statuses = new Set(errorKinds(route).map((kind) => errorCatalogue[kind].status));
  return [...statuses].sort((a, b) => a - b);
}

const SUCCESS_DESCRIPTIONS = {
  200: "OK",
  201: "Created; Location names the new task",
  204: "Done; no body",
};

export interface ResponseEntry {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}

/** One OpenAPI response for every kind of error a route shares a status with. */
export function errorResponse(...kinds: readonly ErrorKindName[]): ResponseEntry {
  return {
    description: kinds.map((kind) => errorCatalogue[kind].describes).join(" "),
    content: { "application/json": { schema: problemSchema } },
  };
}

/** An OpenAPI header object. */
export interface HeaderObject {
  description: string;
  schema: Record<string, unknown>;
}

/** A header's OpenAPI object, its schema converted from zod. */
export function headerObject(rule: { description: string; schema: z.ZodType }): HeaderObject {
  const schema = z.toJSONSchema(rule.schema, { io: "output" });
  delete schema.$schema;
  return { description: rule.description, schema };
}

export type Headers = Record<string, HeaderObject>;

/** Where `Location` points: the new task's path. */
const taskLocation = z
  .templateLiteral([TASK_PATH_PREFIX, taskIdSchema])
  .meta({ maxLength: TASK_PATH_PREFIX.length + UUID_TEXT_LENGTH });

/** Headers of successful responses. */
const SUCCESS_HEADERS: Record<string, Headers> = {
  "201": { Location: headerObject({ description: "Path of the new task", schema: taskLocation }) },
};

/** The headers each error status carries, read from the catalogue. */
function errorHeadersByStatus(): Record<string, Headers> {
  const byStatus: Record<string, Headers> = {};
  for (const entry of Object.values(errorCatalogue)) {
    for (const [name, rule] of Object.entries(entry.headers ?? {})) {
      byStatus[entry.status] = { ...byStatus[entry.status], [name]: headerObject(rule) };
    }
  }
  return byStatus;
}

/** The headers bound to a status, whichever operation answers it. */
export const HEADERS_BY_STATUS = { ...errorHeadersByStatus(), ...SUCCESS_HEADERS };

const NOT_MODIFIED = "Not modified: If-None-Match holds the current ETag; no body";

/** `"<version>"`: a strong entity tag (RFC 9110 §8.8.3). */
const entityTag = z
  .templateLiteral(['"', z.int().min(1).max(VERSION_MAX), '"'])
  .meta({ maxLength: String(VERSION_MAX).length + 2 });

const ETAG = {
  ETag: headerObject({
    description: 'The task\'s version as a strong entity tag, e.g. "3" (If-Match, If-None-Match)',
    schema: entityTag,
  }),
};
const IDEMPOTENT_REPLAYED = {
  "Idempotent-Replayed": headerObject({
    description: "`true` when this is the stored first response to this Idempotency-Key",
    schema: z.literal("true"),
  }),
};

/** Headers of one route's successful responses, by status: ETag wherever one task is sent. */
function routeHeaders(route: RestRoute): Record<string, Record<string, HeaderObject>> {
  const byStatus: Record<string, Record<string, HeaderObject>> = {};
  if (route.response === taskSchema) byStatus[route.success] = ETAG;
  if (route.headers === "read") byStatus["304"] = ETAG;
  if (route.headers === "create") {
    byStatus[route.success] = { ...byStatus[route.success], ...IDEMPOTENT_REPLAYED };
  }
  return byStatus;
}

interface RouteOperation {
  parameters?: { in: string; name: string; description?: string }[];
  requestBody?: { required?: boolean };
  responses?: Record<string, { description?: string; headers?: Record<string, unknown> }>;
}

/**
 * What each route adds to its operation (in place): its success headers, what its
 * request headers mean, 304's description, and an optional body (toggle).
 */
export function documentRoutes<T extends { paths?: unknown }>(document: T): T {
  const paths = (document.paths ?? {}) as Record<string, Record<string, RouteOperation>>;
  for (const route of restRoutes) {
    const path = `${REST_PREFIX}${route.url.replace(/:(\w+)/g, "{$1}")}`;
    const operation = paths[path]?.[route.method.toLowerCase()];
    if (!operation) continue;
    const responses = operation.responses ?? {};
    for (const [status, headers] of Object.entries(routeHeaders(route))) {
      const response = responses[status];
      if (response) response.headers = { ...response.headers, ...headers };
    }
    if (responses["304"]) responses["304"].description = NOT_MODIFIED;
    for (const parameter of operation.parameters ?? []) {
      const description = REQUEST_HEADER_DESCRIPTIONS[parameter.name];
      if (parameter.in === "header" && description) parameter.description = description;
    }
    if (route.bodyOptional && operation.requestBody) operation.requestBody.required = false;
  }
  return document;
}

/** Fastify `schema.response`: the success body and the shared problem body per error status. */
export function responseSchemas(route: RestRoute): Record<number, ResponseEntry | z.ZodType> {
  const description = SUCCESS_DESCRIPTIONS[route.success];
  // A `null` schema is how @fastify/swagger documents a response without a body.
  const responses: Record<number, ResponseEntry | z.ZodType> = {
    [route.success]: route.response
      ? { description, content: { "application/json": { schema: route.response } } }
      : z.null().describe(description),
  };
  if (route.headers === "read") {
    responses[304] = z.null().describe(NOT_MODIFIED);
  }
  return { ...responses, ...problemResponses(errorKinds(route)) };
}

/** One OpenAPI response per status of `kinds`, each describing every kind with that status. */
export function problemResponses(kinds: readonly ErrorKindName[]): Record<number, ResponseEntry> {
  const responses: Record<number, ResponseEntry> = {};
  for (const status of new Set(kinds.map((kind) => errorCatalogue[kind].status))) {
    responses[status] = errorResponse(
      ...kinds.filter((kind) => errorCatalogue[kind].status === status),
    );
  }
  return responses;
}

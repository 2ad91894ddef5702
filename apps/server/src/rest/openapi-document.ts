import { HEADERS_BY_STATUS, type Headers } from "./openapi-responses.ts";

type HeaderRef = { $ref: string };

interface Operation {
  operationId?: string;
  responses?: Record<string, { headers?: Record<string, HeaderRef> }>;
}

interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; headers?: Headers };
}

/** The headers a response carries whatever its status. */
export interface CommonHeaders {
  /** On every response. */
  everyResponse: Headers;
  /** On every response of an operation the rate limit applies to. */
  rateLimited: Headers;
}

/** What the finished document needs to know of the operations beyond their schemas. */
export interface DocumentFacts {
  headers: CommonHeaders;
  /** Operations the rate limit does not apply to. */
  unlimited: ReadonlySet<string>;
}

function operationsOf(document: Document): Operation[] {
  return Object.values(document.paths ?? {}).flatMap((operations) => Object.values(operations));
}

/**
 * Adds each response's headers, as references to `components.headers`: the common
 * ones (named as sent), then those bound to its status (named `<header>-<status>`).
 */
function documentResponseHeaders(document: Document, facts: DocumentFacts): void {
  const components: Headers = {};
  const refer = (headers: Headers, suffix = "") =>
    Object.fromEntries(
      Object.entries(headers).map(([name, header]) => {
        components[`${name}${suffix}`] = header;
        return [name, { $ref: `#/components/headers/${name}${suffix}` }];
      }),
    );
  for (const operation of operationsOf(document)) {
    const limited = !facts.unlimited.has(operation.operationId ?? "");
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      response.headers = {
        ...refer(facts.headers.everyResponse),
        ...(limited && refer(facts.headers.rateLimited)),
        ...refer(HEADERS_BY_STATUS[status] ?? {}, `-${status}`),
      };
    }
  }
  document.components = { ...document.components, headers: components };
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function isIntegerSchema(node: Record<string, unknown>): boolean {
  return node.type === "integer" || (Array.isArray(node.type) && node.type.includes("integer"));
}

/** JSON Schema has no integer width; OpenAPI's `format` names it, read here from the bounds. */
function addIntegerFormats(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(addIntegerFormats);
  if (typeof node !== "object" || node === null) return;
  const schema = node as Record<string, unknown>;
  if (isIntegerSchema(schema) && schema.format === undefined) {
    const fits = (bound: unknown) =>
      typeof bound === "number" && bound >= INT32.min && bound <= INT32.max;
    schema.format = fits(schema.minimum) && fits(schema.maximum) ? "int32" : "int64";
  }
  Object.values(schema).forEach(addIntegerFormats);
}

const SCHEMA_REF = /"#\/components\/schemas\/([^"]+)"/g;

function referencedSchemas(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(SCHEMA_REF)].map(([, name]) => name ?? "");
}

/**
 * Leaves out the component schemas no operation reaches: fastify-type-provider-zod
 * writes an input twin of every registered schema, used or not.
 */
function pruneUnusedSchemas(document: Document): void {
  const { components } = document;
  const schemas = components?.schemas;
  if (!components || !schemas) return;
  const reached = new Set<string>();
  const pending = referencedSchemas(document.paths);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...referencedSchemas(schemas[name]));
  }
  components.schemas = Object.fromEntries(
    Object.entries(schemas).filter(([name]) => reached.has(name)),
  );
}

/** The last pass over the generated document (in place): what the route schemas cannot say. */
export function finishDocument<T extends object>(document: T, facts: DocumentFacts): T {
  const parts = document as Document;
  documentResponseHeaders(parts, facts);
  pruneUnusedSchemas(parts);
  addIntegerFormats(document);
  return document;
}

import type { AnyTRPCRouter } from "@trpc/server";
import type { FastifyRequest } from "fastify";

export interface PlainCall {
  readonly path: string;
  readonly type: "query" | "mutation";
  readonly input: unknown;
  readonly batchIndex: number;
}

export interface PlainRequest {
  readonly isBatch: boolean;
  readonly calls: readonly PlainCall[];
}

/** The HTTP method tRPC's JSON protocol takes for each procedure type. */
const METHOD_OF = { query: "GET", mutation: "POST" } as const;

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";", 1)[0]?.trim().toLowerCase() === "application/json";
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** What the client sent as input, as tRPC reads it: `?input=` for GET, the body for POST. */
function rawInputs(request: FastifyRequest): { ok: true; value: unknown } | { ok: false } {
  if (request.method === "POST") {
    return typeof request.body === "string" && request.body !== ""
      ? parseJson(request.body)
      : { ok: false };
  }
  const { input } = request.query as Record<string, unknown>;
  if (input === undefined || input === "") return { ok: true, value: undefined };
  return typeof input === "string" ? parseJson(input) : { ok: false };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function procedureTypeOf(router: AnyTRPCRouter, path: string): string | undefined {
  const procedures = router._def.procedures as Record<
    string,
    { _def: { type: string } } | undefined
  >;
  return Object.hasOwn(procedures, path) ? procedures[path]?._def.type : undefined;
}

/**
 * The request as tRPC calls, when it is a well-formed, non-streaming JSON call of
 * existing queries (GET) or mutations (POST), which is every call `httpLink` and
 * `httpBatchLink` make. Anything else (a streaming or SSE request, an unknown
 * procedure, a wrong method, unparsable input, another content type) is `null`:
 * tRPC's own handler answers it, with its own errors.
 */
export function plainCallsOf(
  router: AnyTRPCRouter,
  request: FastifyRequest<{ Params: { path: string } }>,
): PlainRequest | null {
  const { method, headers } = request;
  if (method !== "GET" && method !== "POST") return null;
  if (headers["trpc-accept"] !== undefined) return null;
  if (headers["content-type"] !== undefined || method === "POST") {
    if (!isJson(headers["content-type"])) return null;
  }
  const { batch } = request.query as Record<string, unknown>;
  const isBatch = batch === "1";
  const paths = isBatch ? request.params.path.split(",") : [request.params.path];
  const types = paths.map((path) => procedureTypeOf(router, path));
  if (
    !types.every((type) => (type === "query" || type === "mutation") && METHOD_OF[type] === method)
  )
    return null;

  const inputs = rawInputs(request);
  if (!inputs.ok) return null;
  if (isBatch && inputs.value !== undefined && !isRecord(inputs.value)) return null;
  const { deserialize } = router._def._config.transformer.input;
  const inputAt = (index: number): unknown => {
    const raw = isBatch
      ? (inputs.value as Record<string, unknown> | undefined)?.[index]
      : inputs.value;
    return raw === undefined ? undefined : (deserialize(raw) as unknown);
  };
  return {
    isBatch,
    calls: paths.map((path, batchIndex) => ({
      path,
      type: types[batchIndex] as PlainCall["type"],
      input: inputAt(batchIndex),
      batchIndex,
    })),
  };
}

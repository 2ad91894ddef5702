import {
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  type AnyTRPCRouter,
  type TRPCError,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { TRPCResponse } from "@trpc/server/rpc";
import type { PlainCall, PlainRequest } from "./plain-calls.ts";

export interface PlainResponse {
  readonly status: number;
  /** The body's bytes, in order. */
  readonly chunks: readonly Buffer[];
  readonly errors: readonly TRPCError[];
}

type CallOutcome = { response: TRPCResponse; error?: TRPCError };

async function outcomeOf(
  router: AnyTRPCRouter,
  ctx: object,
  call: PlainCall,
): Promise<CallOutcome> {
  try {
    const data: unknown = await callTRPCProcedure({
      router,
      path: call.path,
      type: call.type,
      ctx,
      getRawInput: async () => call.input,
      signal: undefined,
      batchIndex: call.batchIndex,
    });
    return { response: { result: { data } } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    const shape = getTRPCErrorShape({
      config: router._def._config,
      ctx,
      error,
      input: call.input,
      path: call.path,
      type: call.type,
    });
    return { response: { error: shape } as TRPCResponse, error };
  }
}

/**
 * Calls of one batch in flight at once. With every call in flight together, the
 * rows of every page of a large batch were alive at the same time.
 */
const CALLS_IN_FLIGHT = 4;

/** Runs `work` over `items` with at most `limit` at once; results keep the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface EncodedOutcome {
  /** The call's response as UTF-8 JSON: its rows are garbage as soon as it is encoded. */
  bytes: Buffer;
  status: number;
  error?: TRPCError;
}

async function encodedOutcomeOf(
  router: AnyTRPCRouter,
  ctx: object,
  call: PlainCall,
): Promise<EncodedOutcome> {
  const outcome = await outcomeOf(router, ctx, call);
  const json = transformTRPCResponse(router._def._config, outcome.response);
  return {
    bytes: Buffer.from(JSON.stringify(json)),
    status: getHTTPStatusCode(outcome.response),
    ...(outcome.error && { error: outcome.error }),
  };
}

/** tRPC's status for a batch: the calls' common status, else 207 (as `getHTTPStatusCode`). */
function batchStatus(statuses: readonly number[]): number {
  const distinct = new Set(statuses);
  return distinct.size === 1 ? (statuses[0] as number) : 207;
}

/**
 * Runs the calls and answers as tRPC's `resolveResponse` does for a non-streaming
 * JSON request, with tRPC's own public pieces (procedure call, error shape, status,
 * transformer), minus the Fetch `Request`/`Response` and the per-call abort
 * signals, which cost more than the procedures on Node 20 (docs/benchmarks.md).
 * Each call's answer is encoded as soon as it is known and the body is sent as
 * those pieces, so a batch holds its answers once, as bytes.
 */
export async function answerPlainCalls(
  router: AnyTRPCRouter,
  ctx: object,
  request: PlainRequest,
): Promise<PlainResponse> {
  const outcomes = await mapLimited(request.calls, CALLS_IN_FLIGHT, (call) =>
    encodedOutcomeOf(router, ctx, call),
  );
  const [first] = outcomes;
  if (first === undefined) throw new Error("a tRPC request without calls");
  const errors = outcomes.flatMap((outcome) => (outcome.error ? [outcome.error] : []));
  if (!request.isBatch) return { status: first.status, chunks: [first.bytes], errors };
  const chunks = outcomes.flatMap((outcome, index) => [index === 0 ? OPEN : COMMA, outcome.bytes]);
  chunks.push(CLOSE);
  return { status: batchStatus(outcomes.map((outcome) => outcome.status)), chunks, errors };
}

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

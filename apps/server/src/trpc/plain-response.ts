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
  readonly body: string;
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
 * Runs the calls and answers as tRPC's `resolveResponse` does for a non-streaming
 * JSON request, with tRPC's own public pieces (procedure call, error shape, status,
 * transformer), minus the Fetch `Request`/`Response` and the per-call abort
 * signals, which cost more than the procedures on Node 20 (docs/benchmarks.md).
 */
export async function answerPlainCalls(
  router: AnyTRPCRouter,
  ctx: object,
  request: PlainRequest,
): Promise<PlainResponse> {
  const outcomes = await Promise.all(request.calls.map((call) => outcomeOf(router, ctx, call)));
  const responses = outcomes.map((outcome) => outcome.response);
  const json = request.isBatch ? responses : responses[0];
  if (json === undefined) throw new Error("a tRPC request without calls");
  return {
    status: getHTTPStatusCode(json),
    body: JSON.stringify(transformTRPCResponse(router._def._config, json)),
    errors: outcomes.flatMap((outcome) => (outcome.error ? [outcome.error] : [])),
  };
}

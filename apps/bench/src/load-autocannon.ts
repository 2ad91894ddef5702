// One load run with autocannon. Every response is checked: a non-2xx status, a
// 207 (a tRPC batch with a failed call), a socket error or a timeout counts as an
// error, and the first one is kept so a failing run says what went wrong.
import autocannon from "autocannon";
import type { RequestSpec } from "./requests.ts";

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  /** Called once per request with an increasing sequence number. */
  readonly next: (sequence: number) => RequestSpec;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly errors: number;
  /** "PATCH /api/v1/tasks/…/toggle -> 500 {…}": the first failed response. */
  readonly firstFailure: string | null;
}

const FAILURE_BODY_CHARS = 300;

/** autocannon's per-connection context: the request in flight, for error messages. */
interface RequestContext {
  sent?: string;
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300 && status !== 207;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let sequence = 0;
  let failedResponses = 0;
  let firstFailure: string | null = null;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request, context: RequestContext) => {
          const spec = options.next(sequence++);
          context.sent = `${spec.method} ${spec.path}`;
          return {
            ...request,
            method: spec.method,
            path: spec.path,
            headers: spec.headers,
            body: spec.body ?? "",
          };
        },
        onResponse: (status, body, context: RequestContext) => {
          if (isSuccessStatus(status)) return;
          failedResponses += 1;
          firstFailure ??= `${context.sent ?? "?"} -> ${status} ${body.slice(0, FAILURE_BODY_CHARS)}`;
        },
      },
    ],
  });
  const socketErrors = result.errors + result.timeouts;
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: failedResponses + socketErrors,
    firstFailure:
      firstFailure ?? (socketErrors > 0 ? `${socketErrors} socket errors or timeouts` : null),
  };
}

// The fallback load generator: autocannon in the bench's own process, so its CPU
// share is this process's. Every request is built as it is sent.
import autocannon from "autocannon";
import { isSuccessStatus, type LoadOptions, type LoadResult } from "./load-result.ts";
import { cpuShare, sampleCpu } from "./process-cpu.ts";

const FAILURE_BODY_CHARS = 300;

/** autocannon's per-connection context: the request in flight, for error messages. */
interface RequestContext {
  sent?: string;
}

export async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = sampleCpu("self");
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
  const generatorCpu = cpuShare(cpuBefore, sampleCpu("self"));
  const socketErrors = result.errors + result.timeouts;
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: failedResponses + socketErrors,
    firstFailure:
      firstFailure ?? (socketErrors > 0 ? `${socketErrors} socket errors or timeouts` : null),
    generatorCpu,
  };
}

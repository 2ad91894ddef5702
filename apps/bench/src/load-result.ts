// What a load run is given and what it measures, whichever generator drives it.
import type { RequestSpec } from "./requests.ts";

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  /** Called with increasing sequence numbers, once per request (or per distinct request). */
  readonly next: (sequence: number) => RequestSpec;
  /** How many distinct requests a pre-built generator (wrk) cycles through. */
  readonly distinctRequests: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly errors: number;
  /** "PATCH /api/v1/tasks/…/toggle -> 500 {…}": the first failed response. */
  readonly firstFailure: string | null;
  /** The load generator's CPU seconds per second of the run (1 = one core busy). */
  readonly generatorCpu: number | null;
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300 && status !== 207;
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/** Runs of one scenario on one target as one: rates and latencies averaged, counts summed. */
export function meanResult(results: readonly LoadResult[]): LoadResult {
  const cpu = results.map((result) => result.generatorCpu);
  return {
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    requestsPerSecond: mean(results.map((result) => result.requestsPerSecond)),
    latencyP50Ms: mean(results.map((result) => result.latencyP50Ms)),
    latencyP99Ms: mean(results.map((result) => result.latencyP99Ms)),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    firstFailure: results.find((result) => result.firstFailure !== null)?.firstFailure ?? null,
    generatorCpu: cpu.every((value) => value !== null) ? mean(cpu) : null,
  };
}

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

// Latency of one request shape with microsecond resolution: one keep-alive
// connection, requests back to back, so the figure is the server's and the
// database's time, not queueing. (autocannon's histogram keeps whole milliseconds,
// too coarse to tell a flat keyset page from a slowly growing one.)
import { Agent, request as httpRequest } from "node:http";
import type { RequestSpec } from "./requests.ts";

export interface LatencyStats {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[Math.min(ascending.length, Math.max(rank, 1)) - 1] as number;
}

function timeOne(agent: Agent, url: URL, spec: RequestSpec): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = httpRequest(
      new URL(spec.path, url),
      { agent, method: spec.method, headers: spec.headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(performance.now() - started);
          else reject(new Error(`${spec.method} ${spec.path} -> ${status} ${body.slice(0, 300)}`));
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(spec.body);
  });
}

/** A keep-alive agent with one socket: requests on it go back to back. */
export function oneConnection(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** Latencies (ms) of requests sent back to back through `agent` for `milliseconds`. */
export async function collectLatencies(
  agent: Agent,
  baseUrl: string,
  spec: RequestSpec,
  milliseconds: number,
): Promise<number[]> {
  const url = new URL(baseUrl);
  const samples: number[] = [];
  const deadline = performance.now() + milliseconds;
  while (performance.now() < deadline) samples.push(await timeOne(agent, url, spec));
  return samples;
}

export function summarize(samples: readonly number[]): LatencyStats {
  const ascending = [...samples].sort((a, b) => a - b);
  return {
    samples: ascending.length,
    p50Ms: percentile(ascending, 50),
    p99Ms: percentile(ascending, 99),
  };
}

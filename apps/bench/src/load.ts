// One load run. wrk (a C program) drives the load wherever it is installed, so
// that the generator leaves the cores to the server and PostgreSQL; autocannon, a
// Node process, is the fallback and the report says so. Either way every response
// is checked (a non-2xx status, a 207 from a tRPC batch with a failed call, a socket
// error or a timeout is an error) and the generator's own CPU share is measured.
import { execFileSync } from "node:child_process";
import { runAutocannon } from "./load-autocannon.ts";
import { runWrk } from "./load-wrk.ts";
import type { LoadOptions, LoadResult } from "./load-result.ts";

export { isSuccessStatus, type LoadOptions, type LoadResult } from "./load-result.ts";

export interface LoadGenerator {
  readonly name: "wrk" | "autocannon";
  /** "wrk 4.1.0, 2 threads" or "autocannon (fallback: wrk is not installed)". */
  readonly description: string;
  readonly fallback: boolean;
  run(options: LoadOptions): Promise<LoadResult>;
}

function wrkVersion(): string | null {
  try {
    execFileSync("wrk", ["--version"], { stdio: "pipe" });
  } catch (error) {
    // wrk prints its version and usage, then exits 1.
    const output = String(Reflect.get(Object(error), "stdout") ?? "");
    return /^wrk (?:debian\/)?(\S+)/.exec(output)?.[1]?.replace(/-.*$/, "") ?? null;
  }
  return null;
}

/** BENCH_LOAD_GENERATOR=autocannon forces the fallback (to compare the two). */
export function chooseLoadGenerator(
  requested: string | undefined,
  wrkThreads: number,
): LoadGenerator {
  const version = requested === "autocannon" ? null : wrkVersion();
  if (requested === "wrk" && version === null)
    throw new Error("BENCH_LOAD_GENERATOR=wrk, but wrk is not installed (apt-get install wrk).");
  if (version !== null) {
    return {
      name: "wrk",
      description: `wrk ${version}, ${wrkThreads} thread${wrkThreads === 1 ? "" : "s"}`,
      fallback: false,
      run: (options) => runWrk(options, wrkThreads),
    };
  }
  const reason =
    requested === "autocannon" ? "BENCH_LOAD_GENERATOR=autocannon" : "wrk is not installed";
  return {
    name: "autocannon",
    description: `autocannon (fallback: ${reason}; it shares the bench's Node process)`,
    fallback: true,
    run: runAutocannon,
  };
}

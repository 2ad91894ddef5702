// Everything the environment can change about a run, read once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface BenchConfig {
  /** Seconds of load per scenario (BENCH_SECONDS). */
  readonly seconds: number;
  readonly connections: number;
  /** Smoke mode (BENCH_SMOKE=1): smaller scales, report to a temp folder. */
  readonly smoke: boolean;
  /** Task counts of the scale user, one list-latency measurement each. */
  readonly scales: readonly number[];
  /** PostgreSQL server on which the bench creates (and drops) its database. */
  readonly adminUrl: string;
  /** BENCH_TARGETS=baseline,project: run only these targets. */
  readonly targetNames: readonly string[] | null;
  readonly reportDir: string;
  /** BENCH_LOAD_GENERATOR=wrk|autocannon; unset: wrk when installed. */
  readonly loadGenerator: string | undefined;
  /** BENCH_WRK_THREADS: wrk's threads (event loops). */
  readonly wrkThreads: number;
  /** BENCH_SCENARIOS="rest get,trpc batch": run only these load scenarios. */
  readonly scenarioNames: readonly string[] | null;
  /** BENCH_CPU_PROF_DIR: the project servers write V8 CPU profiles there (`--cpu-prof`). */
  readonly cpuProfileDir: string | null;
  /** BENCH_FANOUT_ONLY=1: only the fan-out scenario (no targets, no scales, no cold start). */
  readonly fanoutOnly: boolean;
}

const FULL_SCALES = [1_000, 100_000, 1_000_000];
const SMOKE_SCALES = [1_000, 100_000];

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not '${raw}'.`);
  return value;
}

function loadGeneratorName(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw !== "wrk" && raw !== "autocannon")
    throw new Error(`BENCH_LOAD_GENERATOR must be wrk or autocannon, not '${raw}'.`);
  return raw;
}

function nameList(raw: string | undefined): string[] | null {
  const names = raw
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return names === undefined || names.length === 0 ? null : names;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const smoke = env.BENCH_SMOKE === "1";
  const fanoutOnly = env.BENCH_FANOUT_ONLY === "1";
  return {
    seconds: positiveNumber("BENCH_SECONDS", env.BENCH_SECONDS, smoke ? 1 : 10),
    connections: positiveNumber("BENCH_CONNECTIONS", env.BENCH_CONNECTIONS, 64),
    smoke,
    scales: fanoutOnly ? [] : smoke ? SMOKE_SCALES : FULL_SCALES,
    adminUrl: env.BENCH_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    targetNames: nameList(env.BENCH_TARGETS),
    scenarioNames: nameList(env.BENCH_SCENARIOS),
    cpuProfileDir: env.BENCH_CPU_PROF_DIR || null,
    reportDir:
      env.BENCH_REPORT_DIR ??
      (smoke ? mkdtempSync(join(tmpdir(), "bench-smoke-")) : join(REPO_ROOT, "docs")),
    loadGenerator: loadGeneratorName(env.BENCH_LOAD_GENERATOR),
    wrkThreads: Math.round(positiveNumber("BENCH_WRK_THREADS", env.BENCH_WRK_THREADS, 1)),
    fanoutOnly,
  };
}

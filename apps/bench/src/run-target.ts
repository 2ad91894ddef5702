// Runs one target: start it, seed it if it has its own database, warm it up, load
// every scenario it serves, read its peak RSS, measure list latency at scale, stop.
import { withPool } from "./database.ts";
import { runLoad, type LoadResult } from "./load.ts";
import { log } from "./log.ts";
import type { LoadFixture } from "./requests.ts";
import { runScale, type ScaleRun, type ScaleUser } from "./scale.ts";
import { scenariosFor, type Scenario } from "./scenarios.ts";
import { seedThroughRest } from "./seed-rest.ts";
import { startServer, type RunningServer } from "./server-process.ts";
import { commonEnv, prepareDatabase } from "./target-env.ts";
import type { Target } from "./targets.ts";

export interface RunContext {
  readonly repoRoot: string;
  readonly databaseUrl: string;
  readonly publicKeyPem: string;
  readonly seconds: number;
  readonly connections: number;
  /** The SQL-seeded users' tokens and task ids. */
  readonly fixture: LoadFixture;
  readonly scaleUsers: readonly ScaleUser[];
  readonly restSeedPerUser: number;
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly result: LoadResult;
}

export interface TargetRun {
  readonly target: Target;
  readonly scenarios: ScenarioRun[];
  readonly scale: ScaleRun[];
  readonly peakRssBytes: number | null;
}

const WARMUP_SECONDS = 1;

/** A scenario that saw errors: the bench stops and says which. */
export class ScenarioFailure extends Error {
  override name = "ScenarioFailure";
}

function assertClean(label: string, result: LoadResult, server: RunningServer): void {
  if (result.errors === 0) return;
  throw new ScenarioFailure(
    `${label}: ${result.errors} errors in ${result.requests} requests; first: ${result.firstFailure}\n` +
      `server output:\n${server.output()}`,
  );
}

async function loadScenarios(
  target: Target,
  server: RunningServer,
  fixture: LoadFixture,
  context: RunContext,
) {
  const scenarios = scenariosFor(target.surfaces);
  const base = { url: server.url, connections: context.connections };
  for (const warmup of scenarios.filter((scenario) =>
    ["mixed", "batch"].includes(scenario.operation),
  )) {
    const result = await runLoad({
      ...base,
      seconds: WARMUP_SECONDS,
      next: (n) => warmup.build(fixture, n),
    });
    assertClean(`${target.name} / warm-up ${warmup.name}`, result, server);
  }
  const runs: ScenarioRun[] = [];
  for (const scenario of scenarios) {
    const result = await runLoad({
      ...base,
      seconds: context.seconds,
      next: (n) => scenario.build(fixture, n),
    });
    assertClean(`${target.name} / ${scenario.name}`, result, server);
    log(
      `  ${scenario.name.padEnd(12)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${result.latencyP50Ms} ms  p99 ${result.latencyP99Ms} ms`,
    );
    runs.push({ scenario, result });
  }
  return runs;
}

async function measureScale(
  target: Target,
  server: RunningServer,
  context: RunContext,
): Promise<ScaleRun[]> {
  if (!target.scale) return [];
  const seconds = Math.max(1, Math.ceil(context.seconds / 2));
  try {
    return await runScale({ url: server.url, seconds }, context.scaleUsers);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ScenarioFailure(
      `${target.name} / scale: ${detail}\nserver output:\n${server.output()}`,
    );
  }
}

export async function runTarget(target: Target, context: RunContext): Promise<TargetRun> {
  log(`${target.name}: starting (${target.database})`);
  if (target.seeding === "sql")
    await withPool(context.databaseUrl, (pool) => pool.query("VACUUM ANALYZE tasks"));
  const database = await prepareDatabase(target.database, context.databaseUrl);
  try {
    const env = { ...commonEnv(context.publicKeyPem), ...database.env };
    const server = await startServer(target.command, env, context.repoRoot);
    try {
      const fixture =
        target.seeding === "sql"
          ? context.fixture
          : await seedThroughRest(server.url, context.fixture.tokens, context.restSeedPerUser);
      const scenarios = await loadScenarios(target, server, fixture, context);
      const peakRssBytes = server.peakRssBytes();
      const scale = await measureScale(target, server, context);
      return { target, scenarios, scale, peakRssBytes };
    } finally {
      await server.stop();
    }
  } finally {
    await database.release();
  }
}

// `pnpm bench`: one run over every available target, then docs/benchmarks.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import { readConfig, REPO_ROOT, type BenchConfig } from "./config.ts";
import { createBenchDatabase, serverVersion, type BenchDatabase } from "./database.ts";
import { buildTargets } from "./build-targets.ts";
import { runFanout, type FanoutRun } from "./fanout/run-fanout.ts";
import { fanoutFailures } from "./fanout/verdict.ts";
import { fanoutUserId, FULL_FANOUT, SMOKE_FANOUT } from "./fanout/plan.ts";
import type { WriterUser } from "./fanout/writer.ts";
import { createSigningKeys, type SigningKeys } from "./keys.ts";
import { chooseLoadGenerator } from "./load.ts";
import { log } from "./log.ts";
import { migrateDatabase } from "./migrate.ts";
import { compareToBaseline } from "./report/compare.ts";
import { checkGoals } from "./report/goals.ts";
import { checkFanoutGoals } from "./report/fanout-goals.ts";
import { describeMachine } from "./report/machine.ts";
import { renderReport, type BenchReport } from "./report/markdown.ts";
import { renderRatioChart } from "./report/svg.ts";
import { runTargets, type RunContext } from "./run-targets.ts";
import { SCENARIOS, type Scenario } from "./scenarios.ts";
import { LOAD_USERS, scaleUserId, seedThroughSql, seedUsers } from "./seed.ts";
import { isAvailable, PROJECT_SERVER, TARGETS, type Target } from "./targets.ts";
import { measureColdStarts, type ColdStartReport } from "./cold-start.ts";

const CHART_FILE = "benchmarks-ratios.svg";
const COLD_START_ROUNDS = 5;

/** Every target runs unless BENCH_TARGETS leaves it out or its entry file does not exist yet. */
function skipReason(config: BenchConfig, target: Target): string | null {
  if (config.fanoutOnly) return "BENCH_FANOUT_ONLY=1";
  if (!(config.targetNames?.includes(target.name) ?? true)) return "not selected by BENCH_TARGETS";
  if (!isAvailable(target, REPO_ROOT))
    return `${target.command.cwd}/${target.command.entry} does not exist yet`;
  return null;
}

function selectTargets(config: BenchConfig): { run: Target[]; skipped: BenchReport["skipped"] } {
  const unknown =
    config.targetNames?.filter((name) => !TARGETS.some((target) => target.name === name)) ?? [];
  if (unknown.length > 0)
    throw new Error(`BENCH_TARGETS names unknown targets: ${unknown.join(", ")}`);
  return {
    run: TARGETS.filter((target) => skipReason(config, target) === null),
    skipped: TARGETS.flatMap((target) => {
      const reason = skipReason(config, target);
      return reason === null ? [] : [{ name: target.name, reason }];
    }),
  };
}

function selectScenarios(config: BenchConfig): Scenario[] {
  const names = config.scenarioNames;
  if (names === null) return [...SCENARIOS];
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0)
    throw new Error(`BENCH_SCENARIOS names unknown scenarios: ${unknown.join(", ")}`);
  return SCENARIOS.filter((scenario) => names.includes(scenario.name));
}

async function prepareContext(
  config: BenchConfig,
  database: BenchDatabase,
  keys: SigningKeys,
): Promise<RunContext> {
  const scales =
    config.scales.length === 0 ? "" : ` and scale users of ${config.scales.join(", ")} tasks`;
  log(`seeding ${LOAD_USERS.length} × 1,000 tasks${scales}`);
  const taskIds = await seedThroughSql(database.url, config.scales);
  const tokens = await Promise.all(LOAD_USERS.map((user) => keys.sign(user)));
  const scaleUsers = await Promise.all(
    config.scales.map(async (tasks) => ({ tasks, token: await keys.sign(scaleUserId(tasks)) })),
  );
  return {
    repoRoot: REPO_ROOT,
    databaseUrl: database.url,
    publicKeyPem: keys.publicKeyPem,
    seconds: config.seconds,
    connections: config.connections,
    generator: chooseLoadGenerator(config.loadGenerator, config.wrkThreads),
    fixture: { tokens, taskIds },
    scaleUsers,
    restSeedPerUser: config.smoke ? 50 : 250,
    scenarios: selectScenarios(config),
    cpuProfileDir: config.cpuProfileDir,
  };
}

/** Written as the repository's prettier would write it, so `prettier --check .` stays clean. */
async function writeReport(config: BenchConfig, report: BenchReport): Promise<string> {
  mkdirSync(config.reportDir, { recursive: true });
  const markdownPath = join(config.reportDir, "benchmarks.md");
  const options = await prettier.resolveConfig(markdownPath);
  writeFileSync(
    markdownPath,
    await prettier.format(renderReport(report), { ...options, parser: "markdown" }),
  );
  writeFileSync(join(config.reportDir, CHART_FILE), renderRatioChart(report.comparisons));
  return markdownPath;
}

async function coldStarts(config: BenchConfig, context: RunContext): Promise<ColdStartReport> {
  log("cold start of the production bundle (spawn to /ready)");
  return measureColdStarts(
    REPO_ROOT,
    context.databaseUrl,
    context.publicKeyPem,
    config.smoke ? 1 : COLD_START_ROUNDS,
  );
}

/** The fan-out runs the project server: it runs where the project target does, or alone. */
async function fanout(
  config: BenchConfig,
  context: RunContext,
  keys: SigningKeys,
  run: readonly Target[],
): Promise<FanoutRun | null> {
  if (!config.fanoutOnly && !run.some((target) => target.name === "project")) return null;
  const plan = config.smoke ? SMOKE_FANOUT : FULL_FANOUT;
  const ids = Array.from({ length: plan.users }, (_, index) => fanoutUserId(index));
  const taskIds = await seedUsers(context.databaseUrl, ids, plan.tasksPerUser);
  const users: WriterUser[] = await Promise.all(
    ids.map(async (id, index) => ({ token: await keys.sign(id), taskIds: taskIds[index] ?? [] })),
  );
  const result = await runFanout(context, plan, users);
  const failures = fanoutFailures(result, config.smoke);
  if (failures.length > 0) throw new Error(`fan-out: ${failures.join("; ")}`);
  return result;
}

async function bench(config: BenchConfig, database: BenchDatabase): Promise<void> {
  await buildTargets(REPO_ROOT);
  const { run, skipped } = selectTargets(config);
  for (const entry of skipped) log(`skipping ${entry.name}: ${entry.reason}`);
  await migrateDatabase(database.url);
  const keys = await createSigningKeys();
  const context = await prepareContext(config, database, keys);
  const coldStart = run.some((target) => target.command === PROJECT_SERVER)
    ? await coldStarts(config, context)
    : null;
  const runs = await runTargets(run, context);
  const fanoutRun = await fanout(config, context, keys, run);
  const comparisons = compareToBaseline(runs);
  const report: BenchReport = {
    machine: describeMachine(await serverVersion(database.url)),
    seconds: config.seconds,
    connections: config.connections,
    generator: context.generator.description,
    smoke: config.smoke,
    coldStart,
    runs,
    skipped,
    comparisons,
    fanout: fanoutRun,
    goals: [...checkGoals(runs, comparisons), ...checkFanoutGoals(fanoutRun)],
    chartFile: CHART_FILE,
  };
  log(`report: ${await writeReport(config, report)}`);
  const misses = report.goals.filter((goal) => !goal.pass);
  if (misses.length > 0)
    log(`${misses.length} of ${report.goals.length} goals missed (see the report)`);
}

const config = readConfig();
const database = await createBenchDatabase(config.adminUrl);
const dropAndExit = (): void => void database.drop().finally(() => process.exit(130));
process.once("SIGINT", dropAndExit);
process.once("SIGTERM", dropAndExit);
try {
  await bench(config, database);
} catch (error) {
  console.error(`\nBENCH FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.drop();
}

// Runs every selected target in one pass. All servers start first; then each
// scenario runs against each target back to back, so a change in the machine's
// background load hits the baseline and the project alike and the ratios hold.
import type { Agent } from "node:http";
import { collectLatencies, oneConnection, summarize } from "./latency.ts";
import type { LoadGenerator, LoadResult } from "./load.ts";
import { meanResult } from "./load-result.ts";
import { log } from "./log.ts";
import { formatCpuShare } from "./report/format.ts";
import type { LoadFixture } from "./requests.ts";
import { scalePages, type ScalePage, type ScaleRun, type ScaleUser } from "./scale.ts";
import type { Scenario } from "./scenarios.ts";
import { startSession, type SessionContext, type TargetSession } from "./session.ts";
import type { Target } from "./targets.ts";

export interface RunContext extends SessionContext {
  readonly seconds: number;
  readonly connections: number;
  readonly generator: LoadGenerator;
  readonly scaleUsers: readonly ScaleUser[];
  /** The load scenarios of this run (BENCH_SCENARIOS), in the table's order. */
  readonly scenarios: readonly Scenario[];
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly result: LoadResult;
  /** The baseline's passes before and after the project targets; result is their mean. */
  readonly passes?: readonly LoadResult[];
}

export interface TargetRun {
  readonly target: Target;
  readonly scenarios: ScenarioRun[];
  readonly scale: ScaleRun[];
  readonly peakRssBytes: number | null;
}

const WARMUP_SECONDS = 1;
/**
 * Each target runs a scenario unrecorded for this long (at most the measured
 * length) right before its first measured pass: the figures are of a server whose
 * code for that scenario the JIT has already optimized, as it is in production.
 */
const SCENARIO_WARMUP_SECONDS = 3;
const MAX_DISTINCT_REQUESTS = 8_000;
const SCALE_ROUNDS = 10;
/** Unrecorded requests on each page first: plan cache, connection and JIT get ready. */
const SCALE_WARMUP_MS = 300;

export function scenarioWarmUpSeconds(seconds: number): number {
  return Math.min(SCENARIO_WARMUP_SECONDS, seconds);
}

/** A scenario that saw errors: the bench stops and says which. */
export class ScenarioFailure extends Error {
  override name = "ScenarioFailure";
}

/** One target's session and what has been measured on it so far. */
interface Measured {
  readonly session: TargetSession;
  readonly scenarios: ScenarioRun[];
  readonly scale: ScaleRun[];
}

function serves(record: Measured, scenario: Scenario): boolean {
  return record.session.target.surfaces.includes(scenario.surface);
}

function failure(record: Measured, what: string, detail: string): ScenarioFailure {
  const { target, server } = record.session;
  return new ScenarioFailure(
    `${target.name} / ${what}: ${detail}\nserver output:\n${server.output()}`,
  );
}

/** Enough distinct requests for every user's every known task id to come up. */
export function distinctRequests(fixture: LoadFixture): number {
  const ids = Math.max(1, ...fixture.taskIds.map((list) => list.length));
  return Math.min(MAX_DISTINCT_REQUESTS, fixture.tokens.length * ids);
}

async function load(
  record: Measured,
  scenario: Scenario,
  seconds: number,
  context: RunContext,
  { warmUp = false } = {},
): Promise<LoadResult> {
  const { server, fixture } = record.session;
  const next = (sequence: number) => scenario.build(fixture, sequence);
  const result = await context.generator.run({
    url: server.url,
    connections: context.connections,
    seconds,
    next,
    distinctRequests: distinctRequests(fixture),
  });
  // A cold server may finish nothing in the short warm-up; errors fail it all the same.
  if (result.errors === 0 && (result.requests > 0 || warmUp)) return result;
  // A server that answers nothing within the run is as broken as one that answers errors.
  const detail =
    result.requests === 0
      ? `no response completed in ${seconds} s`
      : `${result.errors} errors in ${result.requests} requests; first: ${result.firstFailure}`;
  throw failure(record, scenario.name, detail);
}

async function warmUp(measured: readonly Measured[], context: RunContext): Promise<void> {
  const warmups = context.scenarios.filter(
    (scenario) => scenario.operation === "mixed" || scenario.operation === "batch",
  );
  for (const record of measured) {
    for (const scenario of warmups.filter((candidate) => serves(record, candidate))) {
      await load(record, scenario, WARMUP_SECONDS, context, { warmUp: true });
    }
  }
}

function logResult(record: Measured, scenario: Scenario, result: LoadResult, context: RunContext) {
  const throughput = `${result.requestsPerSecond.toFixed(0).padStart(7)} req/s`;
  const latency = `p50 ${result.latencyP50Ms} ms  p99 ${result.latencyP99Ms} ms`;
  const generator = `${context.generator.name} CPU ${formatCpuShare(result.generatorCpu)}`;
  log(
    `  ${scenario.name.padEnd(12)} ${record.session.target.name.padEnd(15)} ${throughput}  ${latency}  ${generator}`,
  );
}

/**
 * Each scenario runs on the baseline, then on every project target, then on the
 * baseline again: the baseline's figure is the mean of the two passes, so a drift
 * of the machine during the scenario moves the reference along with the project.
 */
async function runScenarios(measured: readonly Measured[], context: RunContext): Promise<void> {
  for (const scenario of context.scenarios) {
    const serving = measured.filter((candidate) => serves(candidate, scenario));
    const baselines = serving.filter((record) => record.session.target.role === "baseline");
    const projects = serving.filter((record) => record.session.target.role !== "baseline");
    const warmUpSeconds = scenarioWarmUpSeconds(context.seconds);
    const warmed = (record: Measured) =>
      load(record, scenario, warmUpSeconds, context, { warmUp: true });
    const before: LoadResult[] = [];
    for (const record of baselines) {
      await warmed(record);
      before.push(await load(record, scenario, context.seconds, context));
      logResult(record, scenario, before.at(-1) as LoadResult, context);
    }
    for (const record of projects) {
      await warmed(record);
      const result = await load(record, scenario, context.seconds, context);
      record.scenarios.push({ scenario, result });
      logResult(record, scenario, result, context);
    }
    for (const [index, record] of baselines.entries()) {
      const first = before[index] as LoadResult;
      const passes = [first];
      if (projects.length > 0) {
        passes.push(await load(record, scenario, context.seconds, context));
        logResult(record, scenario, passes[1] as LoadResult, context);
      }
      record.scenarios.push({ scenario, result: meanResult(passes), passes });
    }
  }
}

async function pagesOf(record: Measured, users: readonly ScaleUser[]): Promise<ScalePage[]> {
  try {
    return await scalePages(record.session.server.url, users);
  } catch (error) {
    throw failure(record, "scale", error instanceof Error ? error.message : String(error));
  }
}

/** One page of one target, and the latencies sampled on it so far. */
interface PageSlot {
  readonly record: Measured;
  readonly page: ScalePage;
  readonly agent: Agent;
  readonly samples: number[];
}

async function sample(slot: PageSlot, milliseconds: number): Promise<number[]> {
  try {
    return await collectLatencies(
      slot.agent,
      slot.record.session.server.url,
      slot.page.request,
      milliseconds,
    );
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw failure(slot.record, `scale ${slot.page.tasks} ${slot.page.page} page`, detail);
  }
}

/**
 * Every page of every target in short turns, round after round, samples pooled
 * per page: a burst of background load lands on all pages alike, not on one.
 */
async function runScale(measured: readonly Measured[], context: RunContext): Promise<void> {
  const scaled = measured.filter((record) => record.session.target.scale);
  const pages = await Promise.all(scaled.map((record) => pagesOf(record, context.scaleUsers)));
  const slots: PageSlot[] = scaled.flatMap((record, index) =>
    (pages[index] ?? []).map((page) => ({ record, page, agent: oneConnection(), samples: [] })),
  );
  const turnMs = (Math.max(1, context.seconds / 2) * 1000) / SCALE_ROUNDS;
  try {
    for (const slot of slots) await sample(slot, SCALE_WARMUP_MS);
    for (let round = 0; round < SCALE_ROUNDS; round += 1) {
      for (const slot of slots) slot.samples.push(...(await sample(slot, turnMs)));
    }
  } finally {
    for (const slot of slots) slot.agent.destroy();
  }
  for (const { record, page, samples } of slots) {
    record.scale.push({
      tasks: page.tasks,
      page: page.page,
      offset: page.offset,
      latency: summarize(samples),
    });
  }
}

async function measure(
  sessions: readonly TargetSession[],
  context: RunContext,
): Promise<TargetRun[]> {
  const measured: Measured[] = sessions.map((session) => ({ session, scenarios: [], scale: [] }));
  await warmUp(measured, context);
  // Latency at scale first, while the database is freshly vacuumed and quiet.
  log("list latency at scale");
  await runScale(measured, context);
  await runScenarios(measured, context);
  return measured.map((record) => ({
    target: record.session.target,
    scenarios: record.scenarios,
    scale: record.scale,
    peakRssBytes: record.session.server.peakRssBytes(),
  }));
}

export async function runTargets(
  targets: readonly Target[],
  context: RunContext,
): Promise<TargetRun[]> {
  if (targets.length === 0) return [];
  const sessions: TargetSession[] = [];
  try {
    for (const target of targets) {
      log(`${target.name}: starting (${target.database})`);
      sessions.push(await startSession(target, context));
    }
    return await measure(sessions, context);
  } finally {
    for (const session of sessions) await session.stop();
  }
}

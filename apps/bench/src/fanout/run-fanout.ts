// The fan-out scenario (issue 15): two instances of the project server on one
// database, streams of several users split across them, a writer at a fixed rate
// through both; every change must reach every stream of its user exactly once.
// The request scenarios run on one instance without, then beside, the fan-out.
import { loadavg } from "node:os";
import type { LoadResult } from "../load.ts";
import { log } from "../log.ts";
import { cpuShare, sampleCpu, type CpuSample } from "../process-cpu.ts";
import { distinctRequests, ScenarioFailure, type RunContext } from "../run-targets.ts";
import { SCENARIOS, type Scenario } from "../scenarios.ts";
import { startServer, type RunningServer } from "../server-process.ts";
import { commonEnv, prepareDatabase } from "../target-env.ts";
import { PROJECT_SERVER } from "../targets.ts";
import { tallyDelivery, type Delivery } from "./delivery.ts";
import { INSTANCES, type FanoutPlan } from "./plan.ts";
import type { StreamSpec } from "./protocol.ts";
import { startSubscriber, type Subscriber } from "./subscriber-process.ts";
import { runWriter, type WriterResult, type WriterUser } from "./writer.ts";

export const FANOUT_PHASES = { warmUp: "warm-up", alone: "alone", beside: "beside requests" };
const BESIDE_SCENARIOS = ["rest get", "rest list"];
const WARM_UP_SECONDS = 1;
const DRAIN_TIMEOUT_MS = 10_000;

export interface RequestCost {
  readonly scenario: string;
  readonly alone: LoadResult;
  readonly beside: LoadResult;
}

export interface PhaseMeasure {
  readonly writer: Omit<WriterResult, "expected">;
  /** CPU share of each instance over the phase. */
  readonly serverCpu: readonly (number | null)[];
  /** 1-minute load average at the phase's end. */
  readonly loadAverage: number;
}

export interface FanoutRun {
  readonly plan: FanoutPlan;
  readonly seconds: number;
  readonly phases: readonly PhaseMeasure[];
  readonly delivery: Delivery;
  readonly streamErrors: readonly string[];
  readonly requests: readonly RequestCost[];
  readonly subscriberCpu: number | null;
}

function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (scenario === undefined) throw new Error(`no scenario '${name}'`);
  return scenario;
}

async function requestLoad(context: RunContext, url: string, name: string): Promise<LoadResult> {
  const scenario = scenarioNamed(name);
  const { fixture } = context;
  const result = await context.generator.run({
    url,
    connections: context.connections,
    seconds: context.seconds,
    next: (sequence) => scenario.build(fixture, sequence),
    distinctRequests: distinctRequests(fixture),
  });
  if (result.errors > 0 || result.requests === 0)
    throw new ScenarioFailure(
      `fan-out / ${name}: ${result.errors} errors; first: ${result.firstFailure}`,
    );
  return result;
}

async function requestsInTurn(context: RunContext, url: string): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const name of BESIDE_SCENARIOS) results.push(await requestLoad(context, url, name));
  return results;
}

function streamSpecs(urls: readonly string[], users: readonly WriterUser[], perUser: number) {
  return users.flatMap((user, index) =>
    Array.from({ length: perUser }, (_, stream): StreamSpec => ({
      url: `${urls[stream % urls.length]}/api/v1/tasks/events`,
      token: user.token,
      user: index,
    })),
  );
}

interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly beside?: () => Promise<unknown>;
}

async function runPhase(
  phase: Phase,
  servers: readonly RunningServer[],
  users: readonly WriterUser[],
  plan: FanoutPlan,
  firstSequence: number,
): Promise<WriterResult & { serverCpu: (number | null)[] }> {
  const before: (CpuSample | null)[] = servers.map((server) => sampleCpu(server.pid));
  const [writer] = await Promise.all([
    runWriter({
      urls: servers.map((server) => server.url),
      users,
      rate: plan.rate,
      seconds: phase.seconds,
      phase: phase.name,
      firstSequence,
    }),
    phase.beside?.(),
  ]);
  const serverCpu = servers.map((server, index) =>
    cpuShare(before[index] ?? null, sampleCpu(server.pid)),
  );
  if (writer.errors > 0)
    throw new ScenarioFailure(
      `fan-out / ${phase.name}: ${writer.errors} failed writes; first: ${writer.firstFailure}`,
    );
  return { ...writer, serverCpu };
}

async function measureFanout(
  context: RunContext,
  servers: readonly RunningServer[],
  subscriber: Subscriber,
  plan: FanoutPlan,
  users: readonly WriterUser[],
): Promise<FanoutRun> {
  const target = servers[0] as RunningServer;
  log(`fan-out: ${BESIDE_SCENARIOS.join(", ")} on one instance, without the fan-out`);
  const alone = await requestsInTurn(context, target.url);
  const specs = streamSpecs(
    servers.map((server) => server.url),
    users,
    plan.streamsPerUser,
  );
  log(`fan-out: opening ${specs.length} streams over ${servers.length} instances`);
  await subscriber.open(specs);
  let beside: LoadResult[] = [];
  const phases: Phase[] = [
    { name: FANOUT_PHASES.warmUp, seconds: WARM_UP_SECONDS },
    { name: FANOUT_PHASES.alone, seconds: context.seconds },
    {
      name: FANOUT_PHASES.beside,
      seconds: context.seconds * BESIDE_SCENARIOS.length,
      beside: async () => (beside = await requestsInTurn(context, target.url)),
    },
  ];
  const results: (WriterResult & { serverCpu: (number | null)[]; loadAverage: number })[] = [];
  let sequence = 0;
  for (const phase of phases) {
    log(`fan-out: ${plan.rate} changes/s for ${phase.seconds} s (${phase.name})`);
    const result = await runPhase(phase, servers, users, plan, sequence);
    results.push({ ...result, loadAverage: loadavg()[0] ?? Number.NaN });
    sequence += result.sent;
  }
  const expected = results.flatMap((result) => result.expected);
  const receipts = specs.length === 0 ? 0 : expectedReceipts(expected, specs);
  const report = await subscriber.drain(receipts, DRAIN_TIMEOUT_MS);
  return {
    plan,
    seconds: context.seconds,
    phases: results.map(({ expected: _, serverCpu, loadAverage, ...writer }) => ({
      writer,
      serverCpu,
      loadAverage,
    })),
    delivery: tallyDelivery(expected, report.streams),
    streamErrors: report.errors,
    requests: BESIDE_SCENARIOS.map((scenario, index) => ({
      scenario,
      alone: alone[index] as LoadResult,
      beside: beside[index] as LoadResult,
    })),
    subscriberCpu: subscriber.cpuShare(),
  };
}

function expectedReceipts(
  expected: readonly { user: number }[],
  specs: readonly StreamSpec[],
): number {
  const perUser = new Map<number, number>();
  for (const change of expected) perUser.set(change.user, (perUser.get(change.user) ?? 0) + 1);
  return specs.reduce((sum, spec) => sum + (perUser.get(spec.user) ?? 0), 0);
}

async function startInstances(context: RunContext): Promise<RunningServer[]> {
  const database = await prepareDatabase("pg", context.databaseUrl);
  const env = { ...commonEnv(context.publicKeyPem), ...database.env };
  const servers: RunningServer[] = [];
  try {
    for (let index = 0; index < INSTANCES; index += 1)
      servers.push(await startServer(PROJECT_SERVER, env, context.repoRoot));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return servers;
}

export async function runFanout(
  context: RunContext,
  plan: FanoutPlan,
  users: readonly WriterUser[],
): Promise<FanoutRun> {
  log(`fan-out: starting ${INSTANCES} instances of the project (pg, one database)`);
  const servers = await startInstances(context);
  const subscriber = startSubscriber();
  try {
    return await measureFanout(context, servers, subscriber, plan, users);
  } catch (error) {
    const output = servers.map((server, index) => `instance ${index}:\n${server.output()}`);
    if (error instanceof ScenarioFailure)
      throw new ScenarioFailure(`${error.message}\nserver output:\n${output.join("\n")}`);
    throw error;
  } finally {
    subscriber.stop();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

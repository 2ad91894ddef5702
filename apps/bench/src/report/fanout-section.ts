// The "Fan-out" section of docs/benchmarks.md: delivery per phase and what the
// fan-out costs the request scenarios beside it.
import { FANOUT_PHASES, type FanoutRun } from "../fanout/run-fanout.ts";
import { INSTANCES } from "../fanout/plan.ts";
import {
  formatCpuShare,
  formatInteger,
  formatMs,
  formatRatio,
  markdownTable,
  ratio,
} from "./format.ts";

function howMeasured(run: FanoutRun): string {
  const { plan } = run;
  const streams = plan.users * plan.streamsPerUser;
  return `${INSTANCES} instances of the project server (pg driver, one database, PostgreSQL \`LISTEN\`/\`NOTIFY\` between them); ${formatInteger(streams)} REST streams (\`GET /api/v1/tasks/events\`), ${plan.users} users × ${plan.streamsPerUser}, alternating between the instances, held by one subscriber process of the bench; a writer sends ${formatInteger(plan.rate)} changes/s (toggles of seeded tasks and creates, through REST, on a fixed schedule, not a closed loop), each user's changes alternating between the instances. Every acknowledged change must reach every stream of its user exactly once (its \`id:version\` from the write's answer). Latency is the arrival on the stream minus the task's \`updatedAt\`, both on this machine's clock; the server stamps \`updatedAt\` just before the write's statement runs, so the figure is commit-to-receipt plus the statement's own time. Phases in order: a ${FANOUT_PHASES.warmUp} of 1 s (delivery counted, latency not shown), the fan-out ${FANOUT_PHASES.alone} (${run.seconds} s; the goal), then the fan-out with rest get and rest list (wrk, as in the scenarios above) run one after the other on the first instance.`;
}

function deliveryTable(run: FanoutRun): string {
  const rows = run.phases.map((measure) => {
    const { writer } = measure;
    const delivery = run.delivery.phases.find((phase) => phase.phase === writer.phase);
    const latency = delivery?.latency;
    const shown = writer.phase !== FANOUT_PHASES.warmUp && latency !== undefined;
    return [
      writer.phase,
      formatInteger(writer.achievedRate),
      `${formatMs(writer.ackP50Ms)} / ${formatMs(writer.ackP99Ms)}`,
      formatInteger(delivery?.expected ?? 0),
      formatInteger(delivery?.lost ?? 0),
      formatInteger(delivery?.duplicated ?? 0),
      shown ? formatMs(latency.p50Ms) : "—",
      shown ? formatMs(latency.p99Ms) : "—",
      shown ? formatMs(latency.maxMs) : "—",
      measure.serverCpu.map(formatCpuShare).join(" / "),
      measure.loadAverage.toFixed(2),
    ];
  });
  const headers = [
    "phase",
    "changes/s",
    "write p50 / p99 (ms)",
    "deliveries",
    "lost",
    "twice",
    "p50 (ms)",
    "p99 (ms)",
    "max (ms)",
    "server CPU",
    "load avg",
  ];
  return markdownTable(headers, rows);
}

function costTable(run: FanoutRun): string {
  const rows = run.requests.map(({ scenario, alone, beside }) => [
    scenario,
    formatInteger(alone.requestsPerSecond),
    formatInteger(beside.requestsPerSecond),
    formatRatio(ratio(beside.requestsPerSecond, alone.requestsPerSecond)),
    formatMs(alone.latencyP99Ms),
    formatMs(beside.latencyP99Ms),
    formatRatio(ratio(beside.latencyP99Ms, alone.latencyP99Ms)),
  ]);
  const headers = [
    "scenario (first instance)",
    "req/s alone",
    "req/s beside fan-out",
    "ratio",
    "p99 alone (ms)",
    "p99 beside (ms)",
    "ratio",
  ];
  return markdownTable(headers, rows);
}

export function fanoutSection(run: FanoutRun | null): string {
  if (run === null) return "The project target did not run: not measured.";
  const unexpected = `Events no write acknowledged: ${formatInteger(run.delivery.unexpected)}. Subscriber CPU: ${formatCpuShare(run.subscriberCpu)}; server CPU is per instance; "load avg" is the machine's 1-minute load average at the phase's end.`;
  return [
    howMeasured(run),
    deliveryTable(run),
    unexpected,
    "What it costs the request scenarios:",
    costTable(run),
  ].join("\n\n");
}

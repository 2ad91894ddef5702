// docs/benchmarks.md from one run's results.
import { scenarioWarmUpSeconds, type TargetRun } from "../run-targets.ts";
import { SCENARIOS } from "../scenarios.ts";
import { baselineRun, type Comparison } from "./compare.ts";
import {
  formatCpuShare,
  formatInteger,
  formatMebibytes,
  formatMs,
  formatRatio,
  markdownTable,
  ratio,
} from "./format.ts";
import { scaleP50Ratio, type GoalCheck } from "./goals.ts";
import type { Machine } from "./machine.ts";
import { CHANGES } from "./changes.ts";
import type { ColdStartReport } from "../cold-start.ts";
import type { FanoutRun } from "../fanout/run-fanout.ts";
import { fanoutSection } from "./fanout-section.ts";
import { percentile } from "../latency.ts";
import { RARE_TASKS } from "../scale-search.ts";
import { BASELINE, BASELINE_PASSES_NOTE, GENERATOR_NOTE, INTRO, SERVER_CONTRACT } from "./notes.ts";

export interface BenchReport {
  readonly machine: Machine;
  readonly seconds: number;
  readonly connections: number;
  /** The load generator, as LoadGenerator.description says it. */
  readonly generator: string;
  readonly smoke: boolean;
  /** Null when the project target did not run. */
  readonly coldStart: ColdStartReport | null;
  readonly runs: readonly TargetRun[];
  readonly skipped: readonly { name: string; reason: string }[];
  readonly comparisons: readonly Comparison[];
  /** Null when the project target did not run. */
  readonly fanout: FanoutRun | null;
  readonly goals: readonly GoalCheck[];
  readonly chartFile: string;
}

function machineSection(report: BenchReport): string {
  const { machine } = report;
  return markdownTable(
    ["", ""],
    [
      ["CPU", `${machine.cores} × ${machine.cpuModel}`],
      ["Memory", formatMebibytes(machine.memoryBytes)],
      ["OS", machine.os],
      ["Node", machine.node],
      ["PostgreSQL", machine.postgres],
      ["Date", machine.date],
      [
        "Load",
        `${report.generator}, ${report.connections} connections, ${report.seconds} s per scenario, each target's first pass after ${scenarioWarmUpSeconds(report.seconds)} s of the same scenario unrecorded`,
      ],
      ["Database", "a fresh database per run, migrated with `pnpm db:migrate`, seeded through SQL"],
      ["Mode", report.smoke ? "smoke (BENCH_SMOKE=1): small scales, no goals asserted" : "full"],
    ],
  );
}

function goalsSection(report: BenchReport): string {
  if (report.goals.length === 0)
    return "No project target on the pg driver ran, so no goal was checked.";
  const rows = report.goals.map((check) => [
    check.goal,
    check.measured,
    check.pass ? "pass" : "**miss**",
  ]);
  return markdownTable(["goal", "measured", "result"], rows);
}

function scenarioSection(report: BenchReport, name: string): string | null {
  const rows = report.runs.flatMap((run) => {
    const found = run.scenarios.find((entry) => entry.scenario.name === name);
    if (found === undefined) return [];
    const comparison = report.comparisons.find(
      (c) => c.target === run.target.name && c.scenario === name,
    );
    const { result, passes = [] } = found;
    const each = passes.map((pass) => formatInteger(pass.requestsPerSecond)).join(" → ");
    return [
      [
        run.target.name,
        passes.length > 1
          ? `${formatInteger(result.requestsPerSecond)} (${each})`
          : formatInteger(result.requestsPerSecond),
        formatMs(result.latencyP50Ms),
        formatMs(result.latencyP99Ms),
        formatInteger(result.errors),
        comparison === undefined ? "—" : formatRatio(comparison.throughputRatio),
        comparison === undefined ? "—" : formatRatio(comparison.p99Ratio),
        formatCpuShare(result.generatorCpu),
      ],
    ];
  });
  if (rows.length === 0) return null;
  const headers = [
    "target",
    "requests/s",
    "p50 (ms)",
    "p99 (ms)",
    "errors",
    "req/s ÷ baseline",
    "p99 ÷ baseline",
    "generator CPU",
  ];
  return `### ${name}\n\n${markdownTable(headers, rows)}`;
}

function scaleSection(report: BenchReport): string {
  const rows = report.runs.flatMap((run) =>
    run.scale.map((entry) => {
      const smallest = run.scale.find((other) => other.page === entry.page);
      return [
        run.target.name,
        formatInteger(entry.tasks),
        entry.page === "counts" ? "counts" : `${entry.page} (after ${formatInteger(entry.offset)})`,
        formatMs(entry.latency.p50Ms),
        formatMs(entry.latency.p99Ms),
        formatRatio(ratio(entry.latency.p50Ms, smallest?.latency.p50Ms ?? Number.NaN)),
      ];
    }),
  );
  if (rows.length === 0) return "No scale measurement ran.";
  const table = markdownTable(
    ["target", "tasks of the user", "page", "p50 (ms)", "p99 (ms)", "p50 ÷ smallest"],
    rows,
  );
  const summary = report.runs
    .filter((run) => run.scale.length > 0)
    .map(
      (run) =>
        `${run.target.name}: first page ${formatRatio(scaleP50Ratio(run.scale, "first"))}, deep page ${formatRatio(scaleP50Ratio(run.scale, "deep"))}, counts ${formatRatio(scaleP50Ratio(run.scale, "counts"))}`,
    );
  return `${table}\n\nLargest ÷ smallest p50: ${summary.join("; ")}.`;
}

function memorySection(report: BenchReport): string {
  return markdownTable(
    ["target", "peak RSS (VmHWM: start-up, scale pass and every scenario)"],
    report.runs.map((run) => [run.target.name, formatMebibytes(run.peakRssBytes)]),
  );
}

function coldStartSection(report: BenchReport): string {
  const { coldStart } = report;
  if (coldStart === null) return "The project did not run: not measured.";
  const rows = coldStart.starts.map((start) => [
    start.database,
    start.state,
    formatMs(percentile(start.readyMs, 50)),
    formatMs(start.readyMs[0] ?? Number.NaN),
    formatMs(start.readyMs.at(-1) ?? Number.NaN),
    formatInteger(start.readyMs.length),
  ]);
  const table = markdownTable(
    ["database", "state", "median (ms)", "fastest (ms)", "slowest (ms)", "starts"],
    rows,
  );
  const { bundle } = coldStart;
  return `Spawning \`node dist/main.mjs\` (Node ${report.machine.node}, the image's \`NODE_OPTIONS\`) to the first 200 from \`/ready\`, polled every 5 ms; PostgreSQL already migrated, PGlite on an empty folder (initdb and every migration at start) and then on the same folder again. The bundle: \`dist/main.mjs\` ${formatMebibytes(bundle.mainBytes)}, all of \`dist/\` without source maps ${formatMebibytes(bundle.distBytes)} (PGlite's WebAssembly and data files included).\n\n${table}`;
}

function skippedSection(report: BenchReport): string {
  if (report.skipped.length === 0) return "None.";
  return report.skipped.map((entry) => `- ${entry.name}: ${entry.reason}`).join("\n");
}

export function renderReport(report: BenchReport): string {
  const scenarios = SCENARIOS.map((scenario) => scenarioSection(report, scenario.name)).filter(
    (s) => s !== null,
  );
  const baseline = baselineRun(report.runs);
  return [
    "# Benchmarks",
    INTRO,
    `## Machine\n\n${machineSection(report)}`,
    `## Goals\n\n${goalsSection(report)}`,
    `## Scenarios\n\n${BASELINE_PASSES_NOTE} ${GENERATOR_NOTE}\n\n${baseline === undefined ? "The baseline did not run: no ratios.\n\n" : ""}${scenarios.join("\n\n")}`,
    `## Ratios\n\n![project ÷ baseline](${report.chartFile})`,
    `## List latency at scale\n\nOne user with the given number of tasks; one keep-alive connection, requests back to back (microsecond timing), every page of every target in 10 short turns so background noise spreads evenly; the deep page is reached by following \`nextCursor\` (pages of 100) half-way down. The search pages (\`q\`, pages of 20) look for a rare term, in ${RARE_TASKS} tasks of the user at every scale, and for a term every task matches; "next" follows the first page's \`nextCursor\`.\n\n${scaleSection(report)}`,
    `## Fan-out (issue 15)\n\n${fanoutSection(report.fanout)}`,
    `## Memory\n\n${memorySection(report)}`,
    `## Cold start and bundle size\n\n${coldStartSection(report)}`,
    `## Skipped targets\n\n${skippedSection(report)}`,
    CHANGES,
    BASELINE,
    SERVER_CONTRACT,
  ]
    .join("\n\n")
    .concat("\n");
}

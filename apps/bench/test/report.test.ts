import { describe, expect, it } from "vitest";
import { percentile, summarize } from "../src/latency.ts";
import type { LoadResult } from "../src/load.ts";
import { compareToBaseline } from "../src/report/compare.ts";
import { formatMebibytes, formatRatio, markdownTable, ratio } from "../src/report/format.ts";
import { checkGoals } from "../src/report/goals.ts";
import type { TargetRun } from "../src/run-targets.ts";
import type { ScaleRun } from "../src/scale.ts";
import { SCENARIOS } from "../src/scenarios.ts";
import { TARGETS } from "../src/targets.ts";

function load(requestsPerSecond: number, latencyP99Ms: number): LoadResult {
  return {
    requests: 1000,
    requestsPerSecond,
    latencyP50Ms: 1,
    latencyP99Ms,
    errors: 0,
    firstFailure: null,
    generatorCpu: 0.3,
  };
}

function scale(tasks: number, page: ScaleRun["page"], p50Ms: number): ScaleRun {
  return { tasks, page, offset: 0, latency: { samples: 100, p50Ms, p99Ms: p50Ms * 2 } };
}

function run(
  targetName: string,
  results: Record<string, LoadResult>,
  extra: Partial<TargetRun> = {},
): TargetRun {
  const target = TARGETS.find((candidate) => candidate.name === targetName);
  if (target === undefined) throw new Error(targetName);
  const scenarios = SCENARIOS.filter((scenario) => scenario.name in results).map((scenario) => ({
    scenario,
    result: results[scenario.name] as LoadResult,
  }));
  return { target, scenarios, scale: [], peakRssBytes: 100 * 2 ** 20, ...extra };
}

const baseline = run("baseline", { "rest list": load(1000, 20), "trpc batch": load(500, 40) });
const project = run(
  "project",
  { "rest list": load(950, 25), "trpc list": load(600, 40), "trpc batch": load(450, 30) },
  {
    peakRssBytes: 140 * 2 ** 20,
    scale: [
      scale(1_000, "first", 1),
      scale(1_000_000, "first", 1.2),
      scale(1_000, "deep", 1),
      scale(1_000_000, "deep", 2),
      scale(1_000, "counts", 0.5),
      scale(1_000_000, "counts", 0.9),
      scale(1_000, "search rare, first", 1),
      scale(1_000_000, "search rare, first", 2.9),
      scale(1_000, "search rare, next", 1),
      scale(1_000_000, "search rare, next", 3.1),
      scale(1_000, "search frequent, first", 1),
      scale(1_000_000, "search frequent, first", 1),
      scale(1_000, "search frequent, next", 1),
      scale(1_000_000, "search frequent, next", 1),
    ],
  },
);

describe("report formatting", () => {
  it("divides project by baseline and prints ratios with two decimals", () => {
    expect(formatRatio(ratio(700, 1000))).toBe("0.70×");
    expect(formatRatio(ratio(5, 0))).toBe("—");
    expect(formatMebibytes(150 * 2 ** 20)).toBe("150.0 MiB");
    expect(formatMebibytes(null)).toBe("n/a");
  });

  it("builds markdown tables and escapes pipes in cells", () => {
    expect(markdownTable(["a", "b"], [["1", "x|y"]])).toBe(
      "| a | b |\n| --- | --- |\n| 1 | x\\|y |",
    );
  });

  it("picks nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect([percentile(values, 50), percentile(values, 99), percentile([7], 99)]).toEqual([
      50, 99, 7,
    ]);
  });

  it("summarizes unsorted latency samples", () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ samples: 4, p50Ms: 2, p99Ms: 10 });
  });
});

describe("comparison with the baseline", () => {
  it("matches scenarios by operation, tRPC against the baseline's REST", () => {
    const comparisons = compareToBaseline([baseline, project]);
    expect(comparisons.map((c) => [c.scenario, c.throughputRatio, c.p99Ratio])).toEqual([
      ["rest list", 0.95, 1.25],
      ["trpc list", 0.6, 2],
      ["trpc batch", 0.9, 0.75],
    ]);
  });

  it("checks the issue's goals on the project's pg target only", () => {
    const checks = checkGoals([baseline, project], compareToBaseline([baseline, project]));
    const misses = checks.filter((check) => !check.pass).map((check) => check.goal);
    expect(misses).toEqual([
      "project trpc list: req/s ≥ 0.9× baseline",
      "project trpc list: p99 ≤ 1.3× baseline",
      "project list p50, deep page: largest scale ≤ 1.3× smallest",
      "project search rare, next page p50: largest scale ≤ 3× smallest",
      "project peak RSS under load ≤ 1.3× baseline",
    ]);
    expect(checks).toHaveLength(14);
    expect(checks).toContainEqual({
      goal: "project counts p50: largest scale ≤ 2× smallest",
      measured: "1.80×",
      pass: true,
    });
    expect(checks).toContainEqual({
      goal: "project peak RSS under load ≤ 1.3× baseline",
      measured: "1.40× (140.0 MiB ÷ 100.0 MiB)",
      pass: false,
    });
  });

  it("holds counts to twice the smallest scale's p50", () => {
    const slow = run(
      "project",
      {},
      {
        scale: [scale(1_000, "counts", 0.5), scale(1_000_000, "counts", 1.1)],
      },
    );
    const counts = checkGoals([slow], []).find((check) => check.goal.includes("counts"));
    expect(counts).toMatchObject({ measured: "2.20×", pass: false });
  });
});

// The targets, checked against the project on the pg driver. The Neon and
// PGlite rows are reported for what they cost, not held to these numbers.
import type { TargetRun } from "../run-targets.ts";
import type { ScaleRun } from "../scale.ts";
import { SEARCH_PAGES } from "../scale-search.ts";
import type { Comparison } from "./compare.ts";
import { formatMebibytes, formatRatio, ratio } from "./format.ts";

export const GOALS = {
  minThroughputRatio: 0.9,
  maxP99Ratio: 1.3,
  maxScaleP50Ratio: 1.3,
  maxCountsP50Ratio: 2,
  maxSearchScaleP50Ratio: 3,
  maxPeakRssRatio: 1.3,
} as const;

export interface GoalCheck {
  readonly goal: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** The project as shipped on pg: a target with variables of its own measures an alternative. */
function isGoverned(run: TargetRun): boolean {
  return (
    run.target.role === "project" && run.target.database === "pg" && run.target.env === undefined
  );
}

/** p50 at the largest scale ÷ p50 at the smallest, for one kind of page. */
export function scaleP50Ratio(scale: readonly ScaleRun[], page: ScaleRun["page"]): number {
  const pages = scale.filter((run) => run.page === page).sort((a, b) => a.tasks - b.tasks);
  const smallest = pages[0];
  const largest = pages.at(-1);
  if (smallest === undefined || largest === undefined || smallest === largest) return Number.NaN;
  return ratio(largest.latency.p50Ms, smallest.latency.p50Ms);
}

function comparisonChecks(
  comparisons: readonly Comparison[],
  governed: ReadonlySet<string>,
): GoalCheck[] {
  return comparisons
    .filter((comparison) => governed.has(comparison.target))
    .flatMap((comparison) => [
      {
        goal: `${comparison.target} ${comparison.scenario}: req/s ≥ ${GOALS.minThroughputRatio}× baseline`,
        measured: formatRatio(comparison.throughputRatio),
        pass: comparison.throughputRatio >= GOALS.minThroughputRatio,
      },
      {
        goal: `${comparison.target} ${comparison.scenario}: p99 ≤ ${GOALS.maxP99Ratio}× baseline`,
        measured: formatRatio(comparison.p99Ratio),
        pass: comparison.p99Ratio <= GOALS.maxP99Ratio,
      },
    ]);
}

function rssCheck(run: TargetRun, baselinePeakRss: number | null): GoalCheck {
  const value =
    run.peakRssBytes === null || baselinePeakRss === null
      ? Number.NaN
      : ratio(run.peakRssBytes, baselinePeakRss);
  return {
    goal: `${run.target.name} peak RSS under load ≤ ${GOALS.maxPeakRssRatio}× baseline`,
    measured: `${formatRatio(value)} (${formatMebibytes(run.peakRssBytes)} ÷ ${formatMebibytes(baselinePeakRss)})`,
    pass: value <= GOALS.maxPeakRssRatio,
  };
}

function runChecks(run: TargetRun, baselinePeakRss: number | null): GoalCheck[] {
  const pages = (["first", "deep"] as const).map((page) => {
    const value = scaleP50Ratio(run.scale, page);
    return {
      goal: `${run.target.name} list p50, ${page} page: largest scale ≤ ${GOALS.maxScaleP50Ratio}× smallest`,
      measured: formatRatio(value),
      pass: value <= GOALS.maxScaleP50Ratio,
    };
  });
  const counts = scaleP50Ratio(run.scale, "counts");
  const countsCheck = Number.isNaN(counts)
    ? []
    : [
        {
          goal: `${run.target.name} counts p50: largest scale ≤ ${GOALS.maxCountsP50Ratio}× smallest`,
          measured: formatRatio(counts),
          pass: counts <= GOALS.maxCountsP50Ratio,
        },
      ];
  const searches = SEARCH_PAGES.map((page) => {
    const value = scaleP50Ratio(run.scale, page);
    return {
      goal: `${run.target.name} ${page} page p50: largest scale ≤ ${GOALS.maxSearchScaleP50Ratio}× smallest`,
      measured: formatRatio(value),
      pass: value <= GOALS.maxSearchScaleP50Ratio,
    };
  });
  return [...pages, ...countsCheck, ...searches, rssCheck(run, baselinePeakRss)];
}

export function checkGoals(
  runs: readonly TargetRun[],
  comparisons: readonly Comparison[],
): GoalCheck[] {
  const governedRuns = runs.filter(isGoverned);
  const governed = new Set(governedRuns.map((run) => run.target.name));
  const baselinePeakRss = runs.find((run) => run.target.role === "baseline")?.peakRssBytes ?? null;
  return [
    ...comparisonChecks(comparisons, governed),
    ...governedRuns.flatMap((run) => runChecks(run, baselinePeakRss)),
  ];
}

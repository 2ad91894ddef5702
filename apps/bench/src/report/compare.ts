// Ratios of each project target to the baseline, scenario by scenario. Scenarios
// match by operation: the project's tRPC list is compared with the baseline's
// REST list, the fastest hand-written way to do the same work.
import type { TargetRun } from "../run-targets.ts";
import type { Operation } from "../scenarios.ts";
import { ratio } from "./format.ts";

export interface Comparison {
  readonly target: string;
  readonly scenario: string;
  readonly operation: Operation;
  /** Requests per second, project ÷ baseline: higher is better. */
  readonly throughputRatio: number;
  /** p99 latency, project ÷ baseline: lower is better. */
  readonly p99Ratio: number;
}

export function baselineRun(runs: readonly TargetRun[]): TargetRun | undefined {
  return runs.find((run) => run.target.role === "baseline");
}

export function compareToBaseline(runs: readonly TargetRun[]): Comparison[] {
  const baseline = baselineRun(runs);
  if (baseline === undefined) return [];
  return runs
    .filter((run) => run.target.role === "project")
    .flatMap((run) =>
      run.scenarios.flatMap(({ scenario, result }) => {
        const reference = baseline.scenarios.find(
          (candidate) => candidate.scenario.operation === scenario.operation,
        );
        if (reference === undefined) return [];
        return [
          {
            target: run.target.name,
            scenario: scenario.name,
            operation: scenario.operation,
            throughputRatio: ratio(result.requestsPerSecond, reference.result.requestsPerSecond),
            p99Ratio: ratio(result.latencyP99Ms, reference.result.latencyP99Ms),
          },
        ];
      }),
    );
}

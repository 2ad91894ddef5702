// The fan-out scenario's goals (issue 15), apart from the request goals in goals.ts.
import { deliveryTotals } from "../fanout/verdict.ts";
import { FANOUT_PHASES, type FanoutRun } from "../fanout/run-fanout.ts";
import { formatInteger, formatMs } from "./format.ts";
import type { GoalCheck } from "./goals.ts";

export const FANOUT_GOALS = { maxDeliveryP99Ms: 250 } as const;

export function checkFanoutGoals(run: FanoutRun | null): GoalCheck[] {
  if (run === null) return [];
  const alone = run.delivery.phases.find((phase) => phase.phase === FANOUT_PHASES.alone);
  const p99 = alone?.latency.p99Ms ?? Number.NaN;
  const totals = deliveryTotals(run.delivery.phases);
  const twice = totals.duplicated + run.delivery.unexpected;
  return [
    {
      goal: `fan-out delivery p99 (commit to receipt) ≤ ${FANOUT_GOALS.maxDeliveryP99Ms} ms`,
      measured: `${formatMs(p99)} ms`,
      pass: p99 <= FANOUT_GOALS.maxDeliveryP99Ms,
    },
    {
      goal: "fan-out: no event lost",
      measured: `${formatInteger(totals.lost)} of ${formatInteger(totals.expected)}`,
      pass: totals.lost === 0,
    },
    {
      goal: "fan-out: no event delivered twice or to the wrong stream",
      measured: formatInteger(twice),
      pass: twice === 0,
    },
  ];
}

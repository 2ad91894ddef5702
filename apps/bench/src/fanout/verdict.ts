// What fails the bench in the fan-out scenario: a stream that broke, always; in
// smoke mode (CI) also any event lost, doubled or foreign, since no goal is asserted there.
import type { PhaseDelivery } from "./delivery.ts";
import type { FanoutRun } from "./run-fanout.ts";

export interface DeliveryTotals {
  readonly expected: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicated: number;
}

export function deliveryTotals(phases: readonly PhaseDelivery[]): DeliveryTotals {
  const sum = (pick: (phase: PhaseDelivery) => number) =>
    phases.reduce((total, phase) => total + pick(phase), 0);
  return {
    expected: sum((phase) => phase.expected),
    received: sum((phase) => phase.received),
    lost: sum((phase) => phase.lost),
    duplicated: sum((phase) => phase.duplicated),
  };
}

export function fanoutFailures(
  run: Pick<FanoutRun, "delivery" | "streamErrors">,
  smoke: boolean,
): string[] {
  const failures = run.streamErrors.slice(0, 5);
  if (!smoke) return failures;
  const totals = deliveryTotals(run.delivery.phases);
  if (totals.lost > 0) failures.push(`${totals.lost} of ${totals.expected} events lost`);
  if (totals.duplicated > 0) failures.push(`${totals.duplicated} events delivered twice`);
  if (run.delivery.unexpected > 0)
    failures.push(`${run.delivery.unexpected} events no write acknowledged`);
  return failures;
}

// Delivery accounting of the fan-out scenario, pure: every acknowledged change of
// user U must reach every stream of U exactly once. A change is known by its task
// id and the version the write answered; a receipt carries the latency the
// subscriber measured for it.
import { summarize, type LatencyStats } from "../latency.ts";

/** One acknowledged change: whose, which `taskId:version`, and in which phase. */
export interface ExpectedChange {
  readonly user: number;
  readonly key: string;
  readonly phase: string;
}

/** What one stream received, in order: keys of changes and their latencies (ms). */
export interface StreamReceipts {
  readonly user: number;
  readonly keys: readonly string[];
  readonly latenciesMs: readonly number[];
}

export interface DeliveryLatency extends LatencyStats {
  readonly maxMs: number;
}

export interface PhaseDelivery {
  readonly phase: string;
  /** Changes × the streams of their user. */
  readonly expected: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly latency: DeliveryLatency;
}

export interface Delivery {
  readonly phases: readonly PhaseDelivery[];
  /** Receipts of changes no write acknowledged (or another user's). */
  readonly unexpected: number;
}

export function changeKey(taskId: string, version: number): string {
  return `${taskId}:${version}`;
}

export function latencyOf(samples: readonly number[]): DeliveryLatency {
  const maxMs = samples.reduce((max, sample) => Math.max(max, sample), Number.NEGATIVE_INFINITY);
  return { ...summarize(samples), maxMs: samples.length === 0 ? Number.NaN : maxMs };
}

interface Tally {
  expected: number;
  received: number;
  duplicated: number;
  latencies: number[];
}

function phaseOfKeyByUser(expected: readonly ExpectedChange[]): Map<number, Map<string, string>> {
  const byUser = new Map<number, Map<string, string>>();
  for (const change of expected) {
    const keys = byUser.get(change.user) ?? new Map<string, string>();
    keys.set(change.key, change.phase);
    byUser.set(change.user, keys);
  }
  return byUser;
}

/** Matches every stream's receipts against its user's acknowledged changes. */
export function tallyDelivery(
  expected: readonly ExpectedChange[],
  streams: readonly StreamReceipts[],
): Delivery {
  const byUser = phaseOfKeyByUser(expected);
  const tallies = new Map<string, Tally>();
  const tallyOf = (phase: string): Tally => {
    const found = tallies.get(phase) ?? { expected: 0, received: 0, duplicated: 0, latencies: [] };
    tallies.set(phase, found);
    return found;
  };
  for (const change of expected) tallyOf(change.phase);
  let unexpected = 0;
  for (const stream of streams) {
    const phases = byUser.get(stream.user) ?? new Map<string, string>();
    for (const phase of phases.values()) tallyOf(phase).expected += 1;
    const seen = new Set<string>();
    stream.keys.forEach((key, index) => {
      const phase = phases.get(key);
      if (phase === undefined) return void (unexpected += 1);
      const tally = tallyOf(phase);
      if (seen.has(key)) return void (tally.duplicated += 1);
      seen.add(key);
      tally.received += 1;
      tally.latencies.push(stream.latenciesMs[index] ?? Number.NaN);
    });
  }
  const phases = [...tallies].map(([phase, tally]) => ({
    phase,
    expected: tally.expected,
    received: tally.received,
    lost: tally.expected - tally.received,
    duplicated: tally.duplicated,
    latency: latencyOf(tally.latencies),
  }));
  return { phases, unexpected };
}

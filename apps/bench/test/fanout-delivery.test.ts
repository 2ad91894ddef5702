import { describe, expect, it } from "vitest";
import { changeKey, tallyDelivery, type ExpectedChange } from "../src/fanout/delivery.ts";
import { SMOKE_FANOUT } from "../src/fanout/plan.ts";
import type { FanoutRun } from "../src/fanout/run-fanout.ts";
import { fanoutFailures } from "../src/fanout/verdict.ts";
import { checkFanoutGoals } from "../src/report/fanout-goals.ts";
import { planChange } from "../src/fanout/writer.ts";

const change = (user: number, key: string, phase = "alone"): ExpectedChange => ({
  user,
  key,
  phase,
});

describe("tallyDelivery", () => {
  const expected = [change(0, "a:1"), change(0, "a:2"), change(1, "b:1", "warm-up")];

  it("counts every change once per stream of its user, with the latencies of first arrivals", () => {
    const delivery = tallyDelivery(expected, [
      { user: 0, keys: ["a:1", "a:2"], latenciesMs: [10, 30] },
      { user: 0, keys: ["a:2", "a:1"], latenciesMs: [20, 40] },
      { user: 1, keys: ["b:1"], latenciesMs: [5] },
    ]);
    const alone = delivery.phases.find((phase) => phase.phase === "alone");
    expect(alone).toMatchObject({ expected: 4, received: 4, lost: 0, duplicated: 0 });
    expect(alone?.latency).toEqual({ samples: 4, p50Ms: 20, p99Ms: 40, maxMs: 40 });
    expect(delivery.phases.find((phase) => phase.phase === "warm-up")).toMatchObject({
      expected: 1,
      received: 1,
    });
    expect(delivery.unexpected).toBe(0);
  });

  it("finds lost, doubled and foreign events", () => {
    const delivery = tallyDelivery(expected, [
      { user: 0, keys: ["a:1", "a:1", "b:1"], latenciesMs: [1, 2, 3] },
      { user: 1, keys: [], latenciesMs: [] },
    ]);
    const alone = delivery.phases.find((phase) => phase.phase === "alone");
    expect(alone).toMatchObject({ expected: 2, received: 1, lost: 1, duplicated: 1 });
    expect(alone?.latency.samples).toBe(1);
    expect(delivery.phases.find((phase) => phase.phase === "warm-up")?.lost).toBe(1);
    expect(delivery.unexpected).toBe(1);
  });

  it("knows a change by task and version", () => {
    expect(changeKey("t", 3)).toBe("t:3");
  });
});

describe("fanoutFailures", () => {
  const lossy = tallyDelivery([change(0, "a:1")], [{ user: 0, keys: [], latenciesMs: [] }]);

  it("fails a smoke run on a lost event, a full run only on broken streams", () => {
    expect(fanoutFailures({ delivery: lossy, streamErrors: [] }, true)).toEqual([
      "1 of 1 events lost",
    ]);
    expect(fanoutFailures({ delivery: lossy, streamErrors: [] }, false)).toEqual([]);
    expect(fanoutFailures({ delivery: lossy, streamErrors: ["stream 3: ended"] }, false)).toEqual([
      "stream 3: ended",
    ]);
  });
});

describe("planChange", () => {
  it("takes users in turn and sends each user's changes through both instances", () => {
    const plans = Array.from({ length: 8 }, (_, sequence) => planChange(sequence, 2, 2));
    expect(plans.map((plan) => `${plan.user}${plan.instance}${plan.kind[0]}`)).toEqual([
      "00t",
      "10t",
      "01t",
      "11t",
      "00c",
      "10c",
      "01c",
      "11c",
    ]);
  });
});

describe("checkFanoutGoals", () => {
  function runWith(latenciesMs: number[], keys: string[]): FanoutRun {
    const expected = [change(0, "a:1"), change(0, "a:2")];
    return {
      plan: SMOKE_FANOUT,
      seconds: 1,
      phases: [],
      delivery: tallyDelivery(expected, [{ user: 0, keys, latenciesMs }]),
      streamErrors: [],
      requests: [],
      subscriberCpu: null,
    };
  }

  it("holds the alone phase's p99 to 250 ms and every event to exactly once", () => {
    const passing = checkFanoutGoals(runWith([100, 240], ["a:1", "a:2"]));
    expect(passing.map((goal) => goal.pass)).toEqual([true, true, true]);
    const missing = checkFanoutGoals(runWith([100, 260, 1], ["a:1", "a:2", "a:2"]));
    expect(missing.map((goal) => [goal.measured, goal.pass])).toEqual([
      ["260 ms", false],
      ["0 of 2", true],
      ["1", false],
    ]);
    expect(checkFanoutGoals(runWith([1], ["a:1"]))[1]).toMatchObject({
      measured: "1 of 2",
      pass: false,
    });
  });
});

import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import { SharedReads } from "../src/live/shared-reads.ts";
import { newUserId, useHarness } from "./harness.ts";

describe.each(testDrivers())("shared event reads on %s", (driver) => {
  const t = useHarness(driver);

  async function userWithEvents(count: number) {
    const userId = newUserId();
    const caller = await t.harness.callerFor(userId);
    for (let index = 0; index < count; index += 1)
      await caller.tasks.create({ title: `t${index}` });
    return userId;
  }

  it("serves feeds woken before a read started with that one read", async () => {
    const userId = await userWithEvents(3);
    const reads = new SharedReads();
    const { db } = t.harness.database;
    const wokenAt = performance.now();
    const first = reads.eventsAfter(db, userId, 0n, 10, wokenAt);
    const second = reads.eventsAfter(db, userId, 0n, 10, wokenAt);
    expect(second).toBe(first);
    expect((await first).map((event) => event.id)).toEqual([1n, 2n, 3n]);
    expect(reads.size).toBe(0);
  });

  it("starts a new read for a feed woken after the one in flight began", async () => {
    const userId = await userWithEvents(2);
    const reads = new SharedReads();
    const { db } = t.harness.database;
    const early = reads.eventsAfter(db, userId, 0n, 10, performance.now());
    const caller = await t.harness.callerFor(userId);
    await caller.tasks.create({ title: "after the first read began" });
    const late = reads.eventsAfter(db, userId, 0n, 10, performance.now());
    expect(late).not.toBe(early);
    expect((await late).map((event) => event.id)).toEqual([1n, 2n, 3n]);
  });

  it("keeps other positions and users apart", async () => {
    const [alice, bob] = [await userWithEvents(2), await userWithEvents(1)];
    const reads = new SharedReads();
    const { db } = t.harness.database;
    const wokenAt = performance.now();
    const pages = await Promise.all([
      reads.eventsAfter(db, alice, 0n, 10, wokenAt),
      reads.eventsAfter(db, alice, 1n, 10, wokenAt),
      reads.eventsAfter(db, bob, 0n, 10, wokenAt),
    ]);
    expect(pages.map((page) => page.map((event) => event.id))).toEqual([[1n, 2n], [2n], [1n]]);
  });
});

import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Harness, newUserId, type Caller } from "./harness.ts";

describe.each(testDrivers())("concurrent writes on %s", (driver) => {
  let harness: Harness;
  let alice: Caller;

  beforeAll(async () => {
    harness = await Harness.start(driver);
    alice = await harness.callerFor(newUserId());
  });
  afterAll(() => harness.close());

  it("20 concurrent toggles of one task leave it as it started", async () => {
    const task = await alice.tasks.create({ title: "contended" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => alice.tasks.toggle({ id: task.id })),
    );
    const trues = results.filter((result) => result.completed).length;
    expect(trues).toBe(10);
    expect((await alice.tasks.get({ id: task.id })).completed).toBe(false);
  });

  it("an odd number of concurrent toggles flips it exactly once", async () => {
    const task = await alice.tasks.create({ title: "odd", completed: true });
    await Promise.all(Array.from({ length: 7 }, () => alice.tasks.toggle({ id: task.id })));
    expect((await alice.tasks.get({ id: task.id })).completed).toBe(false);
  });

  it("concurrent creates neither lose nor duplicate a task", async () => {
    const bob = await harness.callerFor(newUserId());
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, index) => bob.tasks.create({ title: `t${index}` })),
    );
    const listed = await bob.tasks.list({ limit: 100 });
    expect(listed.items.map((task) => task.id).sort()).toEqual(
      created.map((task) => task.id).sort(),
    );
  });
});

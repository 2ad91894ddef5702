import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import { newUserId, useHarness } from "./harness.ts";

describe.each(testDrivers())("concurrent writes on %s", (driver) => {
  const t = useHarness(driver);

  it("20 concurrent toggles of one task leave it as it started", async () => {
    const task = await t.alice.tasks.create({ title: "contended" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.alice.tasks.toggle({ id: task.id })),
    );
    const trues = results.filter((result) => result.completed).length;
    expect(trues).toBe(10);
    expect((await t.alice.tasks.get({ id: task.id })).completed).toBe(false);
  });

  it("an odd number of concurrent toggles flips it exactly once", async () => {
    const task = await t.alice.tasks.create({ title: "odd", completed: true });
    await Promise.all(Array.from({ length: 7 }, () => t.alice.tasks.toggle({ id: task.id })));
    expect((await t.alice.tasks.get({ id: task.id })).completed).toBe(false);
  });

  it("concurrent creates neither lose nor duplicate a task", async () => {
    const bob = await t.harness.callerFor(newUserId());
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, index) => bob.tasks.create({ title: `t${index}` })),
    );
    const listed = await bob.tasks.list({ limit: 100 });
    expect(listed.items.map((task) => task.id).sort()).toEqual(
      created.map((task) => task.id).sort(),
    );
  });
});

describe.each(testDrivers())("racing bulk changes on %s", (driver) => {
  const t = useHarness(driver);

  it("bulk toggles, bulk deletes and single toggles of one user's tasks all finish", async () => {
    const carol = await t.harness.callerFor(newUserId());
    const tasks = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        carol.tasks.create({ title: `bulk ${index}`, completed: index % 2 === 0 }),
      ),
    );
    for (let round = 0; round < 8; round += 1) {
      await Promise.all([
        carol.tasks.updateMany({ completed: true }),
        carol.tasks.updateMany({ completed: false }),
        ...tasks.slice(round * 5, round * 5 + 5).map((task) => carol.tasks.toggle({ id: task.id })),
        carol.tasks.updateMany({ completed: round % 2 === 0 }),
      ]);
    }
    const counts = await carol.tasks.counts({});
    expect(counts.all).toBe(60);
    await Promise.all([
      carol.tasks.deleteMany({ status: "completed" }),
      carol.tasks.updateMany({ completed: true }),
      carol.tasks.deleteMany({ status: "pending" }),
      carol.tasks.updateMany({ completed: false }),
    ]);
    await carol.tasks.deleteMany({ status: "all" });
    expect(await carol.tasks.counts({})).toEqual({ all: 0, pending: 0, completed: 0 });
  });
});

import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError, Harness, newUserId, type Caller } from "./harness.ts";

describe.each(testDrivers())("isolation between users on %s", (driver) => {
  let harness: Harness;
  let alice: Caller;
  let mallory: Caller;
  let aliceTask: { id: string; title: string; updatedAt: string; completed: boolean };

  beforeAll(async () => {
    harness = await Harness.start(driver);
    alice = await harness.callerFor(newUserId());
    mallory = await harness.callerFor(newUserId());
    aliceTask = await alice.tasks.create({ title: "Alice's secret", description: "secret" });
    await mallory.tasks.create({ title: "Mallory's own" });
  });
  afterAll(() => harness.close());

  it("never lists another user's tasks, whatever the filter or sort", async () => {
    for (const sort of ["createdAt", "updatedAt", "title"] as const) {
      for (const status of ["all", "pending", "completed"] as const) {
        const page = await mallory.tasks.list({ sort, status, q: "secret" });
        expect(page.items).toEqual([]);
      }
    }
    const own = await mallory.tasks.list({});
    expect(own.items.map((task) => task.title)).toEqual(["Mallory's own"]);
  });

  it("answers FORBIDDEN to reading, changing, toggling or deleting another user's task", async () => {
    const { id } = aliceTask;
    for (const call of [
      () => mallory.tasks.get({ id }),
      () => mallory.tasks.update({ id, title: "pwned" }),
      () => mallory.tasks.toggle({ id }),
      () => mallory.tasks.delete({ id }),
    ]) {
      const error = await expectTRPCError(call(), "FORBIDDEN");
      expect(error.message).not.toContain("secret");
    }
    expect(await alice.tasks.get({ id })).toMatchObject({
      title: aliceTask.title,
      completed: aliceTask.completed,
      updatedAt: aliceTask.updatedAt,
    });
  });

  it("does not let a cursor from one user reveal another's tasks", async () => {
    for (let index = 0; index < 3; index += 1) await alice.tasks.create({ title: `a${index}` });
    const alicePage = await alice.tasks.list({ limit: 1 });
    expect(alicePage.nextCursor).not.toBeNull();
    const replayed = await mallory.tasks.list({ limit: 10, cursor: alicePage.nextCursor ?? "" });
    expect(replayed.items.every((task) => task.title === "Mallory's own")).toBe(true);
  });
});

import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import { expectTRPCError, newUserId, useHarness } from "./harness.ts";

const MISSING_ID = "0190c7e4-1b6d-7c2a-9a35-1a2b3c4d5e6f";

describe.each(testDrivers())("versions and expectedVersion on %s", (driver) => {
  const t = useHarness(driver);

  it("starts at 1 and adds 1 on every write, a repeated value included", async () => {
    const task = await t.alice.tasks.create({ title: "v" });
    expect(task.version).toBe(1);
    expect((await t.alice.tasks.update({ id: task.id, title: "v" })).version).toBe(2);
    expect((await t.alice.tasks.toggle({ id: task.id })).version).toBe(3);
    expect((await t.alice.tasks.update({ id: task.id, completed: true })).version).toBe(4);
    expect((await t.alice.tasks.get({ id: task.id })).version).toBe(4);
  });

  it("applies update, toggle and delete when the expected version matches", async () => {
    const task = await t.alice.tasks.create({ title: "match" });
    const updated = await t.alice.tasks.update({ id: task.id, title: "x", expectedVersion: 1 });
    expect(updated).toMatchObject({ title: "x", version: 2 });
    const toggled = await t.alice.tasks.toggle({ id: task.id, expectedVersion: 2 });
    expect(toggled).toMatchObject({ completed: true, version: 3 });
    expect(await t.alice.tasks.delete({ id: task.id, expectedVersion: 3 })).toBeNull();
    await expectTRPCError(t.alice.tasks.get({ id: task.id }), "NOT_FOUND");
  });

  it("refuses a stale version with PRECONDITION_FAILED and changes nothing", async () => {
    const task = await t.alice.tasks.create({ title: "stale" });
    await t.alice.tasks.update({ id: task.id, title: "newer" });
    for (const call of [
      () => t.alice.tasks.update({ id: task.id, title: "lost", expectedVersion: 1 }),
      () => t.alice.tasks.toggle({ id: task.id, expectedVersion: 1 }),
      () => t.alice.tasks.delete({ id: task.id, expectedVersion: 3 }),
    ]) {
      const error = await expectTRPCError(call(), "PRECONDITION_FAILED");
      expect(error.message).toMatch(/version/);
    }
    expect(await t.alice.tasks.get({ id: task.id })).toMatchObject({
      title: "newer",
      completed: false,
      version: 2,
    });
  });

  it("checks existence and ownership before the version (404/403 before 412)", async () => {
    await expectTRPCError(
      t.alice.tasks.update({ id: MISSING_ID, title: "x", expectedVersion: 7 }),
      "NOT_FOUND",
    );
    const bob = await t.harness.callerFor(newUserId());
    const bobs = await bob.tasks.create({ title: "bob's" });
    await expectTRPCError(t.alice.tasks.toggle({ id: bobs.id, expectedVersion: 9 }), "FORBIDDEN");
    await expectTRPCError(t.alice.tasks.delete({ id: bobs.id, expectedVersion: 1 }), "FORBIDDEN");
    expect((await bob.tasks.get({ id: bobs.id })).version).toBe(1);
  });

  it("checks the input before anything (422 before 404 and 412)", async () => {
    for (const expectedVersion of [0, -1, 1.5, 2 ** 31]) {
      const error = await expectTRPCError(
        t.alice.tasks.toggle({ id: MISSING_ID, expectedVersion }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(error.message).toContain("expectedVersion");
    }
    await expectTRPCError(
      // @ts-expect-error the expected version is a number
      t.alice.tasks.delete({ id: MISSING_ID, expectedVersion: "1" }),
      "UNPROCESSABLE_CONTENT",
    );
    const task = await t.alice.tasks.create({ title: "only a version" });
    // A version alone is no change: update still needs a field.
    await expectTRPCError(
      t.alice.tasks.update({ id: task.id, expectedVersion: 1 }),
      "UNPROCESSABLE_CONTENT",
    );
  });

  it("lets exactly one of two concurrent writers holding one version succeed", async () => {
    const task = await t.alice.tasks.create({ title: "race" });
    const outcomes = await Promise.allSettled([
      t.alice.tasks.update({ id: task.id, title: "first", expectedVersion: 1 }),
      t.alice.tasks.update({ id: task.id, title: "second", expectedVersion: 1 }),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const lost = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(String(Reflect.get(lost[0]?.reason as object, "code"))).toBe("PRECONDITION_FAILED");
    const stored = await t.alice.tasks.get({ id: task.id });
    expect(stored).toEqual(won[0]?.value);
    expect(stored.version).toBe(2);
  });
});

import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import { expectTRPCError, newUserId, useHarness, type Caller } from "./harness.ts";

async function fill(caller: Caller, titles: string[], completed = false) {
  return Promise.all(titles.map((title) => caller.tasks.create({ title, completed })));
}

function first<T>(items: T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error("expected an item");
  return item;
}

describe.each(testDrivers())("counts and bulk changes on %s", (driver) => {
  const t = useHarness(driver);
  const freshUser = () => t.harness.callerFor(newUserId());

  it("counts a new user's tasks as zero", async () => {
    const nobody = await freshUser();
    expect(await nobody.tasks.counts({})).toEqual({ all: 0, pending: 0, completed: 0 });
  });

  it("follows creates, toggles, updates and deletes", async () => {
    const me = await freshUser();
    const [a, b] = (await fill(me, ["a", "b", "c"])).map((task) => task.id);
    await fill(me, ["done"], true);
    expect(await me.tasks.counts({})).toEqual({ all: 4, pending: 3, completed: 1 });
    await me.tasks.toggle({ id: String(a) });
    await me.tasks.update({ id: String(b), completed: true, title: "b2" });
    expect(await me.tasks.counts({})).toEqual({ all: 4, pending: 1, completed: 3 });
    await me.tasks.delete({ id: String(a) });
    expect(await me.tasks.counts({})).toEqual({ all: 3, pending: 1, completed: 2 });
  });

  it("counts only what matches q, and only the caller's", async () => {
    const me = await freshUser();
    const other = await freshUser();
    await fill(me, ["Buy MILK", "milkshake", "bread"]);
    await fill(me, ["oat milk"], true);
    await fill(other, ["milk", "milk"]);
    expect(await me.tasks.counts({ q: "milk" })).toEqual({ all: 3, pending: 2, completed: 1 });
    expect(await me.tasks.counts({ q: "  " })).toEqual({ all: 4, pending: 3, completed: 1 });
    expect(await me.tasks.counts({ q: "%" })).toEqual({ all: 0, pending: 0, completed: 0 });
  });

  it("refuses a bad q and unknown fields", async () => {
    await expectTRPCError(t.alice.tasks.counts({ q: "x".repeat(201) }), "UNPROCESSABLE_CONTENT");
    // @ts-expect-error counts takes only q
    await expectTRPCError(t.alice.tasks.counts({ status: "all" }), "UNPROCESSABLE_CONTENT");
  });

  it("toggles all: sets completed where it differs, bumps only those versions", async () => {
    const me = await freshUser();
    const other = await freshUser();
    const pending = await fill(me, ["p1", "p2"]);
    const done = first(await fill(me, ["d1"], true));
    const theirs = first(await fill(other, ["theirs"]));
    expect(await me.tasks.updateMany({ completed: true })).toEqual({ updated: 2 });
    for (const task of pending) {
      const now = await me.tasks.get({ id: task.id });
      expect(now).toMatchObject({ completed: true, version: 2 });
      expect(Date.parse(now.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.updatedAt));
    }
    expect(await me.tasks.get({ id: done.id })).toEqual(done);
    expect(await other.tasks.get({ id: theirs.id })).toEqual(theirs);
    expect(await me.tasks.counts({})).toEqual({ all: 3, pending: 0, completed: 3 });
    expect(await me.tasks.updateMany({ completed: true })).toEqual({ updated: 0 });
    expect(await me.tasks.updateMany({ completed: false })).toEqual({ updated: 3 });
    expect(await me.tasks.counts({})).toEqual({ all: 3, pending: 3, completed: 0 });
  });

  it("clears completed, pending or all of the caller's tasks", async () => {
    const me = await freshUser();
    const other = await freshUser();
    await fill(me, ["p1", "p2", "p3"]);
    await fill(me, ["d1", "d2"], true);
    await fill(other, ["o1"], true);
    expect(await me.tasks.deleteMany({ status: "completed" })).toEqual({ deleted: 2 });
    expect(await me.tasks.counts({})).toEqual({ all: 3, pending: 3, completed: 0 });
    expect(await me.tasks.deleteMany({ status: "completed" })).toEqual({ deleted: 0 });
    expect(await me.tasks.deleteMany({ status: "pending" })).toEqual({ deleted: 3 });
    await fill(me, ["again"]);
    expect(await me.tasks.deleteMany({ status: "all" })).toEqual({ deleted: 1 });
    expect((await me.tasks.list({})).items).toEqual([]);
    expect(await other.tasks.counts({})).toEqual({ all: 1, pending: 0, completed: 1 });
  });

  it("refuses bulk changes with a missing or bad field", async () => {
    // @ts-expect-error the status is required: no call deletes everything by omission
    await expectTRPCError(t.alice.tasks.deleteMany({}), "UNPROCESSABLE_CONTENT");
    // @ts-expect-error not a status
    await expectTRPCError(t.alice.tasks.deleteMany({ status: "done" }), "UNPROCESSABLE_CONTENT");
    // @ts-expect-error completed is required
    await expectTRPCError(t.alice.tasks.updateMany({}), "UNPROCESSABLE_CONTENT");
    await expectTRPCError(
      // @ts-expect-error only completed can be set on all tasks
      t.alice.tasks.updateMany({ completed: true, title: "all the same" }),
      "UNPROCESSABLE_CONTENT",
    );
  });

  it("a bulk change racing single changes loses none of them", async () => {
    const me = await freshUser();
    const tasks = await fill(
      me,
      Array.from({ length: 20 }, (_, index) => `race ${index}`),
    );
    await Promise.all([
      me.tasks.updateMany({ completed: true }),
      ...tasks.map((task) => me.tasks.update({ id: task.id, title: `${task.title} edited` })),
    ]);
    const { items } = await me.tasks.list({ limit: 100 });
    expect(items).toHaveLength(20);
    for (const task of items) {
      // The edit and the bulk change both landed, each as one version.
      expect(task).toMatchObject({ completed: true, version: 3 });
      expect(task.title).toMatch(/ edited$/);
    }
    expect(await me.tasks.counts({})).toEqual({ all: 20, pending: 0, completed: 20 });
  });

  it("a clear racing creates and toggles leaves counts that match the tasks", async () => {
    const me = await freshUser();
    const tasks = await fill(
      me,
      Array.from({ length: 10 }, (_, index) => `t${index}`),
      true,
    );
    const [cleared] = await Promise.all([
      me.tasks.deleteMany({ status: "completed" }),
      ...tasks.map((task) => me.tasks.toggle({ id: task.id }).catch(() => null)),
      ...tasks.map((_, index) => me.tasks.create({ title: `new ${index}` })),
    ]);
    const { items } = await me.tasks.list({ limit: 100 });
    const completed = items.filter((task) => task.completed).length;
    expect(await me.tasks.counts({})).toEqual({
      all: items.length,
      pending: items.length - completed,
      completed,
    });
    expect(items.length + cleared.deleted).toBe(20);
  });
});

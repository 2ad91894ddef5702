import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import { newUserId, useHarness, type Caller } from "./harness.ts";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(testDrivers())("tasks procedures on %s", (driver) => {
  const t = useHarness(driver);

  it("creates a task with defaults, trimmed title and server-set fields", async () => {
    const task = await t.alice.tasks.create({ title: "  Buy milk  " });
    expect(task).toMatchObject({ title: "Buy milk", description: null, completed: false });
    expect(task.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.createdAt).toMatch(ISO_UTC);
    expect(task.updatedAt).toBe(task.createdAt);
  });

  it("stores an empty description as null and keeps given fields", async () => {
    const empty = await t.alice.tasks.create({ title: "a", description: "" });
    expect(empty.description).toBeNull();
    const full = await t.alice.tasks.create({
      title: "b",
      description: "details",
      completed: true,
    });
    expect(full).toMatchObject({ description: "details", completed: true });
  });

  it("gets a task by id", async () => {
    const created = await t.alice.tasks.create({ title: "Read" });
    expect(await t.alice.tasks.get({ id: created.id })).toEqual(created);
  });

  it("updates only the given fields and bumps updatedAt", async () => {
    const created = await t.alice.tasks.create({ title: "Draft", description: "keep me" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await t.alice.tasks.update({ id: created.id, completed: true });
    expect(updated).toMatchObject({ title: "Draft", description: "keep me", completed: true });
    expect(updated.createdAt).toBe(created.createdAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    const renamed = await t.alice.tasks.update({
      id: created.id,
      title: " Final ",
      description: null,
    });
    expect(renamed).toMatchObject({ title: "Final", description: null, completed: true });
  });

  it("bumps updatedAt even when the values do not change", async () => {
    const created = await t.alice.tasks.create({ title: "Same" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await t.alice.tasks.update({ id: created.id, title: "Same" });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
  });

  it("toggles completed back and forth", async () => {
    const created = await t.alice.tasks.create({ title: "Flip" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const once = await t.alice.tasks.toggle({ id: created.id });
    expect(once.completed).toBe(true);
    expect(Date.parse(once.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    expect((await t.alice.tasks.toggle({ id: created.id })).completed).toBe(false);
  });

  it("deletes a task, after which it is gone", async () => {
    const created = await t.alice.tasks.create({ title: "Gone soon" });
    await expect(t.alice.tasks.delete({ id: created.id })).resolves.toBeNull();
    await expect(t.alice.tasks.get({ id: created.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("lists the caller's tasks newest first by default", async () => {
    const bob = await t.harness.callerFor(newUserId());
    const first = await bob.tasks.create({ title: "first" });
    const second = await bob.tasks.create({ title: "second" });
    const page = await bob.tasks.list({});
    expect(page.items.map((task) => task.id)).toEqual([second.id, first.id]);
    expect(page.nextCursor).toBeNull();
  });

  it("filters by status and by a case-insensitive search in title or description", async () => {
    const carol = await t.harness.callerFor(newUserId());
    const done = await carol.tasks.create({ title: "Pay RENT", completed: true });
    const open = await carol.tasks.create({ title: "Call mum", description: "about the rent" });
    await carol.tasks.create({ title: "Walk" });
    const ids = async (input: Parameters<Caller["tasks"]["list"]>[0]) =>
      (await carol.tasks.list(input)).items.map((task) => task.id).sort();
    expect(await ids({ status: "completed" })).toEqual([done.id]);
    expect(await ids({ q: "rent" })).toEqual([done.id, open.id].sort());
    expect(await ids({ q: "rent", status: "pending" })).toEqual([open.id]);
    expect(await ids({ q: "100%" })).toEqual([]);
  });

  it("treats LIKE wildcards in the search text literally", async () => {
    const dave = await t.harness.callerFor(newUserId());
    const percent = await dave.tasks.create({ title: "50% off" });
    await dave.tasks.create({ title: "500 things" });
    const found = await dave.tasks.list({ q: "0%" });
    expect(found.items.map((task) => task.id)).toEqual([percent.id]);
    expect((await dave.tasks.list({ q: "_" })).items).toEqual([]);
  });
});

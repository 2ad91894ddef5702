import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListTasksInput, Task } from "../src/index.ts";
import { Harness, newUserId, type Caller } from "./harness.ts";

const TOTAL = 250;
const PAGE = 7;
const SORTS = ["createdAt", "updatedAt", "title"] as const;
const ORDERS = ["asc", "desc"] as const;

/** Walks every page; `between` runs after each page, like other clients writing meanwhile. */
async function walk(caller: Caller, input: ListTasksInput, between?: () => Promise<void>) {
  const seen: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await caller.tasks.list({ ...input, limit: PAGE, cursor });
    expect(page.items.length).toBeLessThanOrEqual(PAGE);
    seen.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (between) await between();
  } while (cursor);
  return seen;
}

function expectOrdered(tasks: Task[], sort: "createdAt" | "updatedAt", order: "asc" | "desc") {
  for (let index = 1; index < tasks.length; index += 1) {
    const [previous, current] = [tasks[index - 1], tasks[index]];
    if (!previous || !current) continue;
    const delta = Date.parse(current[sort]) - Date.parse(previous[sort]);
    expect(order === "asc" ? delta : -delta).toBeGreaterThanOrEqual(0);
  }
}

describe.each(testDrivers())("keyset pagination on %s", (driver) => {
  let harness: Harness;
  let userId: string;
  let caller: Caller;
  let allIds: string[];

  beforeAll(async () => {
    harness = await Harness.start(driver);
    userId = newUserId();
    caller = await harness.callerFor(userId);
    // Groups of ten share timestamps and titles, so the id tie-breaker is exercised.
    const base = Date.UTC(2026, 0, 1);
    await harness.database.db.prisma.task.createMany({
      data: Array.from({ length: TOTAL }, (_, index) => ({
        userId,
        title: `task ${Math.floor(index / 10) % 7}`,
        completed: index % 3 === 0,
        createdAt: new Date(base + Math.floor(index / 10) * 1000),
        updatedAt: new Date(base + Math.floor((TOTAL - index) / 10) * 1000),
      })),
    });
    allIds = (await harness.database.db.prisma.task.findMany({ where: { userId } })).map(
      (task) => task.id,
    );
  });
  afterAll(() => harness.close());

  for (const sort of SORTS) {
    for (const order of ORDERS) {
      it(`walks ${TOTAL} tasks by ${sort} ${order} with no duplicate and no gap`, async () => {
        const seen = await walk(caller, { sort, order });
        const ids = seen.map((task) => task.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual([...allIds].sort());
        if (sort !== "title") expectOrdered(seen, sort, order);
      });
    }
  }

  it("walks a filtered list completely", async () => {
    const expected = await harness.database.db.prisma.task.count({
      where: { userId, completed: true },
    });
    const seen = await walk(caller, { status: "completed", sort: "title", order: "asc" });
    expect(seen).toHaveLength(expected);
    expect(seen.every((task) => task.completed)).toBe(true);
  });

  for (const order of ORDERS) {
    it(`neither repeats nor skips while tasks are added and removed between pages (${order})`, async () => {
      const writer = await harness.callerFor(userId);
      const pending = [...allIds];
      const removed = new Set<string>();
      const seen = await walk(caller, { order }, async () => {
        await writer.tasks.create({ title: "added while paging" });
        const victim = pending.pop();
        if (victim) {
          removed.add(victim);
          await writer.tasks.delete({ id: victim });
        }
      });
      const ids = seen.map((task) => task.id);
      expect(new Set(ids).size).toBe(ids.length);
      const survivors = allIds.filter((id) => !removed.has(id));
      expect(survivors.every((id) => ids.includes(id))).toBe(true);
      allIds = survivors;
    });
  }
});

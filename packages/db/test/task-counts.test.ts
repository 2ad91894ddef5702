import { describe, expect, it } from "vitest";
import { pgliteConnection } from "../src/drivers/pglite.ts";
import { createPglite } from "../src/drivers/pglite-instance.ts";
import { Prisma } from "../src/index.ts";
import { applyMigrations } from "../src/migrations/apply.ts";
import { readMigrationFolders } from "../src/migrations/files.ts";
import { testDrivers } from "../src/testing.ts";
import { useTestDatabase } from "./helpers.ts";

/** The triggers of task_counts follow every kind of write, whoever makes it. */
describe.each(testDrivers())("task_counts on %s", (driver) => {
  const test = useTestDatabase(driver);

  const countsOf = async (userId: string) =>
    (
      await test.db.sql<{ total: number; completed: number }>(
        Prisma.sql`SELECT total, completed FROM task_counts WHERE user_id = ${userId}`,
      )
    )[0] ?? null;
  const actualOf = async (userId: string) =>
    (
      await test.db.sql<{ total: number; completed: number }>(
        Prisma.sql`SELECT count(*)::int AS total,
          (count(*) FILTER (WHERE completed))::int AS completed
          FROM tasks WHERE user_id = ${userId}`,
      )
    )[0];

  it("follows multi-row inserts, flag changes, other edits and deletes", async () => {
    await test.db.sql(Prisma.sql`INSERT INTO tasks (id, user_id, title, completed, updated_at)
      SELECT gen_random_uuid(), CASE WHEN n % 2 = 0 THEN 'even' ELSE 'odd' END, 'task ' || n,
        n % 3 = 0, now()
      FROM generate_series(1, 30) AS n`);
    expect(await countsOf("even")).toEqual({ total: 15, completed: 5 });
    expect(await countsOf("odd")).toEqual({ total: 15, completed: 5 });

    await test.db.sql(
      Prisma.sql`UPDATE tasks SET completed = NOT completed WHERE user_id = 'even'`,
    );
    expect(await countsOf("even")).toEqual({ total: 15, completed: 10 });
    await test.db.sql(Prisma.sql`UPDATE tasks SET title = title || '!' WHERE user_id = 'even'`);
    expect(await countsOf("even")).toEqual({ total: 15, completed: 10 });

    await test.db.sql(
      Prisma.sql`DELETE FROM tasks WHERE user_id = 'even' AND completed AND title LIKE 'task 1%'`,
    );
    expect(await countsOf("even")).toEqual(await actualOf("even"));
    expect(await countsOf("odd")).toEqual({ total: 15, completed: 5 });
  });

  it("follows the writes of Prisma's client too", async () => {
    await test.db.prisma.task.createMany({
      data: [
        { userId: "orm", title: "a" },
        { userId: "orm", title: "b", completed: true },
      ],
    });
    await test.db.prisma.task.updateMany({ where: { userId: "orm" }, data: { completed: true } });
    expect(await countsOf("orm")).toEqual({ total: 2, completed: 2 });
    await test.db.prisma.task.deleteMany({ where: { userId: "orm", title: "a" } });
    expect(await countsOf("orm")).toEqual({ total: 1, completed: 1 });
  });

  it("is emptied by TRUNCATE, which fires no row triggers", async () => {
    await test.db.sql(Prisma.sql`TRUNCATE tasks`);
    expect(await countsOf("odd")).toBeNull();
    expect(await countsOf("orm")).toBeNull();
  });
});

describe("the migration that adds task_counts", () => {
  it("counts the tasks that existed before it", async () => {
    const folders = await readMigrationFolders();
    const index = folders.findIndex((folder) => folder.sql.includes('CREATE TABLE "task_counts"'));
    expect(index).toBeGreaterThan(0);
    const connection = await pgliteConnection(await createPglite("memory://"));
    try {
      await applyMigrations(connection, folders.slice(0, index));
      await connection.prisma.$executeRawUnsafe(`INSERT INTO tasks
        (id, user_id, title, completed, updated_at)
        SELECT gen_random_uuid(), 'before', 'old ' || n, n <= 2, now()
        FROM generate_series(1, 5) AS n`);
      await applyMigrations(connection, folders);
      const rows = await connection.prisma.$queryRawUnsafe(
        `SELECT user_id, total, completed FROM task_counts`,
      );
      expect(rows).toEqual([{ user_id: "before", total: 5, completed: 2 }]);
    } finally {
      await connection.close();
    }
  });
});

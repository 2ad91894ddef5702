import { describe, expect, it } from "vitest";
import { Prisma } from "../src/index.ts";
import { testDrivers } from "../src/testing.ts";
import { useTestDatabase } from "./helpers.ts";

describe.each(testDrivers())("db.sql on %s", (driver) => {
  const test = useTestDatabase(driver);

  it("binds every value and returns rows keyed by column name", async () => {
    const title = "it's; DROP TABLE tasks; --";
    const inserted = await test.db.sql<{ id: string; title: string; completed: boolean }>(
      Prisma.sql`INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at)
        VALUES (gen_random_uuid(), ${"sql-user"}, ${title}, ${true}, now(), now())
        RETURNING id, title, completed`,
    );
    expect(inserted).toEqual([{ id: expect.any(String), title, completed: true }]);

    const found = await test.db.sql<{ title: string; n: number }>(
      Prisma.sql`SELECT title, ${41}::int + 1 AS n FROM tasks
        WHERE id = ${inserted[0]?.id}::uuid AND user_id = ${"sql-user"}`,
    );
    expect(found).toEqual([{ title, n: 42 }]);
    expect(await test.db.sql(Prisma.sql`SELECT 1 FROM tasks WHERE user_id = ${"nobody"}`)).toEqual(
      [],
    );
  });

  it("runs on the same pool as Prisma's client: each sees the other's writes", async () => {
    const created = await test.db.prisma.task.create({ data: { userId: "shared", title: "orm" } });
    const [row] = await test.db.sql<{ title: string }>(
      Prisma.sql`SELECT title FROM tasks WHERE id = ${created.id}::uuid`,
    );
    expect(row?.title).toBe("orm");
  });
});

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

describe.each(testDrivers())("db.transaction on %s", (driver) => {
  const test = useTestDatabase(driver);
  const titlesOf = async (userId: string) =>
    (
      await test.db.sql<{ title: string }>(
        Prisma.sql`SELECT title FROM tasks WHERE user_id = ${userId} ORDER BY title`,
      )
    ).map((row) => row.title);
  const insert = (userId: string, title: string) =>
    Prisma.sql`INSERT INTO tasks (id, user_id, title, created_at, updated_at)
      VALUES (gen_random_uuid(), ${userId}, ${title}, now(), now())`;

  it("commits every statement when the work resolves, and returns its result", async () => {
    const result = await test.db.transaction(async (tx) => {
      await tx.sql(insert("tx-commit", "a"));
      await tx.sql(insert("tx-commit", "b"));
      return tx.sql<{ n: number }>(
        Prisma.sql`SELECT count(*)::int AS n FROM tasks WHERE user_id = ${"tx-commit"}`,
      );
    });
    expect(result).toEqual([{ n: 2 }]);
    expect(await titlesOf("tx-commit")).toEqual(["a", "b"]);
  });

  it("keeps nothing when the work throws, and the pool goes on working", async () => {
    const failure = new Error("changed my mind");
    await expect(
      test.db.transaction(async (tx) => {
        await tx.sql(insert("tx-rollback", "a"));
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      test.db.transaction(async (tx) => {
        await tx.sql(insert("tx-rollback", "b"));
        await tx.sql(Prisma.sql`SELECT 1/0`);
      }),
    ).rejects.toThrow();
    expect(await titlesOf("tx-rollback")).toEqual([]);
    await test.db.transaction((tx) => tx.sql(insert("tx-rollback", "c")));
    expect(await titlesOf("tx-rollback")).toEqual(["c"]);
  });

  it("runs concurrent transactions each on its own connection", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        test.db.transaction(async (tx) => {
          await tx.sql(insert("tx-concurrent", `t${index}`));
          await tx.sql(insert("tx-concurrent", `u${index}`));
        }),
      ),
    );
    expect(await titlesOf("tx-concurrent")).toHaveLength(16);
  });
});

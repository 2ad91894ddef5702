import { describe, expect, it } from "vitest";
import { createTestDatabase, testDrivers } from "../src/testing.ts";
import {
  connectionCount,
  databaseNameOf,
  useTestDatabase,
  uuidPattern,
  withAdminClient,
} from "./helpers.ts";

describe.each(testDrivers())("tasks table on %s", (driver) => {
  const test = useTestDatabase(driver);

  it("reports its driver and answers a ping", async () => {
    expect(test.db.driver).toBe(driver);
    await expect(test.db.ping()).resolves.toBeUndefined();
  });

  it("round-trips a task: create, read, update, delete", async () => {
    const { prisma } = test.db;
    const created = await prisma.task.create({ data: { userId: "user-1", title: "Write tests" } });
    expect(created).toMatchObject({
      userId: "user-1",
      title: "Write tests",
      description: null,
      completed: false,
    });
    expect(created.id).toMatch(uuidPattern);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toBeInstanceOf(Date);

    expect(await prisma.task.findUnique({ where: { id: created.id } })).toEqual(created);

    const updated = await prisma.task.update({
      where: { id: created.id },
      data: { completed: true, description: "all drivers" },
    });
    expect(updated).toMatchObject({
      completed: true,
      description: "all drivers",
      createdAt: created.createdAt,
    });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    await prisma.task.delete({ where: { id: created.id } });
    expect(await prisma.task.findUnique({ where: { id: created.id } })).toBeNull();
  });

  it("has the four keyset indexes and the two trigram search indexes", async () => {
    const indexes = await test.db.prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
      `SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'tasks' ORDER BY indexname`,
    );
    expect(
      Object.fromEntries(
        indexes.map((index) => [index.indexname, index.indexdef.replace(/^.* USING /, "")]),
      ),
    ).toEqual({
      tasks_description_trgm_idx: "gin (description gin_trgm_ops)",
      tasks_pkey: "btree (id)",
      tasks_user_completed_created_at_idx: "btree (user_id, completed, created_at, id)",
      tasks_user_created_at_idx: "btree (user_id, created_at, id)",
      tasks_user_title_idx: "btree (user_id, title, id)",
      tasks_title_trgm_idx: "gin (title gin_trgm_ops)",
      tasks_user_updated_at_idx: "btree (user_id, updated_at, id)",
    });
  });

  it("runs pg_trgm, which the search indexes need", async () => {
    const rows = await test.db.prisma.$queryRawUnsafe<{ extname: string }[]>(
      `SELECT extname::text FROM pg_extension WHERE extname = 'pg_trgm'`,
    );
    expect(rows.map((row) => row.extname)).toEqual(["pg_trgm"]);
    const [trigrams] = await test.db.prisma.$queryRawUnsafe<{ words: string[] }[]>(
      `SELECT show_trgm('Quasar') AS words`,
    );
    expect(trigrams?.words).toContain("qua");
  });

  it("closes cleanly, and again without complaint", async () => {
    const other = await createTestDatabase(driver);
    try {
      await other.db.ping();
      await other.db.close();
      await expect(other.db.close()).resolves.toBeUndefined();
      if (other.url === undefined) {
        await expect(other.db.ping()).rejects.toThrow();
      } else {
        const database = databaseNameOf(other.url);
        await withAdminClient(async (admin) =>
          expect(await connectionCount(admin, database)).toBe(0),
        );
      }
    } finally {
      await other.cleanup();
    }
  });
});

import { describe, expect, it } from "vitest";
import { migrate } from "../src/index.ts";
import { readMigrationFolders } from "../src/migrations/files.ts";
import { prismaMigrateLockKey } from "../src/migrations/history.ts";
import { testDrivers } from "../src/testing.ts";
import { resetToEmpty, useTestDatabase, withAdminClient } from "./helpers.ts";

const folderNames = (await readMigrationFolders()).map((folder) => folder.name);

describe.each(testDrivers())("concurrent migrate() on %s", (driver) => {
  const test = useTestDatabase(driver);

  it("two migrate() calls on one fresh database both succeed and apply each migration once", async () => {
    await resetToEmpty(test.db);
    // On a server, each call opens its own connections, like two processes starting together.
    const target = driver === "pglite" ? test.db : test.config;
    const results = await Promise.all([migrate(target), migrate(target)]);
    expect(results.flatMap((result) => result.applied).sort()).toEqual(folderNames);
    const rows = await test.db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations`,
    );
    expect(rows.map((row) => row.migration_name).sort()).toEqual(folderNames);
  });

  if (driver === "pglite") return;

  it("waits while prisma migrate deploy holds its advisory lock", async () => {
    await resetToEmpty(test.db);
    await withAdminClient(async (admin) => {
      await admin.query(`SELECT pg_advisory_lock(${prismaMigrateLockKey})`);
      let finished = false;
      const migrating = migrate(test.config).then((result) => {
        finished = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(finished).toBe(false);
      await admin.query(`SELECT pg_advisory_unlock(${prismaMigrateLockKey})`);
      expect(await migrating).toEqual({ applied: folderNames });
      // Advisory locks belong to one database: take it in the test database itself.
    }, test.url);
  });
});

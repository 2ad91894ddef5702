import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrationFolders } from "../src/migrations/files.ts";
import { cloneMigratedPglite, templatePath } from "../src/testing/pglite-template.ts";
import type { PGlite } from "@electric-sql/pglite";
import type { MigrationFolder } from "../src/migrations/files.ts";

describe("PGlite test databases cloned from the cached template", () => {
  let migrations: MigrationFolder[];
  let first: PGlite;
  let second: PGlite;
  beforeAll(async () => {
    migrations = await readMigrationFolders();
    first = await cloneMigratedPglite();
    second = await cloneMigratedPglite();
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it("hold every migration, recorded as applied", async () => {
    const history = await first.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM _prisma_migrations
       WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(history.rows).toEqual(
      migrations.map(({ name, checksum }) => ({ migration_name: name, checksum })),
    );
    const tables = await first.query(`SELECT 1 FROM pg_tables WHERE tablename = 'tasks'`);
    expect(tables.rows).toHaveLength(1);
  });

  it("are independent of each other", async () => {
    await first.query(`INSERT INTO tasks (id, user_id, title, updated_at)
      VALUES (gen_random_uuid(), 'only-in-first', 't', now())`);
    const count = (db: PGlite) =>
      db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM tasks WHERE user_id = 'only-in-first'`,
      );
    expect((await count(first)).rows).toEqual([{ n: 1 }]);
    expect((await count(second)).rows).toEqual([{ n: 0 }]);
  });

  it("leave the gzipped dump in the temp folder for other workers", async () => {
    const dump = await readFile(templatePath(migrations));
    expect([...dump.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  });
});

describe("templatePath", () => {
  const init = { name: "20260101000000_init", sql: "", checksum: "a".repeat(64) };

  it("is the same for the same migrations and differs when one changes or is added", () => {
    const base = templatePath([init]);
    expect(templatePath([{ ...init }])).toBe(base);
    expect(templatePath([{ ...init, checksum: "b".repeat(64) }])).not.toBe(base);
    expect(templatePath([init, { ...init, name: "20260102000000_next" }])).not.toBe(base);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createPglite } from "../src/drivers/pglite-instance.ts";
import { migrate, MigrationError } from "../src/index.ts";
import { createTestDatabase, testDrivers } from "../src/testing.ts";
import {
  checksumOf,
  migrationLockPath,
  migrationsDir,
  readMigrationFolders,
  schemaPath,
} from "../src/migrations/files.ts";
import { openSchemaEngine } from "../src/migrations/schema-engine.ts";
import { applyMigrations } from "../src/migrations/apply.ts";
import { pgliteConnection } from "../src/drivers/pglite.ts";
import { readFile } from "node:fs/promises";
import { resetToEmpty, uuidPattern } from "./helpers.ts";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { TestDatabase } from "../src/testing.ts";

interface HistoryRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const folders = await readMigrationFolders();
const folderNames = folders.map((folder) => folder.name);

/** `prisma migrate deploy`'s own code path: the schema engine's applyMigrations. */
async function prismaMigrateDeploy(
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const schema = { path: schemaPath, content: await readFile(schemaPath, "utf8") };
  const engine = await openSchemaEngine(schema, adapter);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: migrationLockPath, content: await readFile(migrationLockPath, "utf8") },
        shadowDbInitScript: "",
        migrationDirectories: folders.map((folder) => ({
          path: folder.name,
          migrationFile: { path: "migration.sql", content: { tag: "ok", value: folder.sql } },
        })),
      },
      filters: { externalTables: [], externalEnums: [] },
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

// Cast to plain types: the Neon adapter cannot read information_schema's own domains.
const historyColumns = `SELECT column_name::text, data_type::text, character_maximum_length::int,
    is_nullable::text, column_default::text
  FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`;

/** The history table as Prisma's schema engine creates it, computed once for all drivers. */
let referenceColumns: Promise<unknown[]> | undefined;
function prismaHistoryColumns(): Promise<unknown[]> {
  referenceColumns ??= (async () => {
    const reference = await createPglite("memory://");
    try {
      expect(await prismaMigrateDeploy(new PrismaPGlite(reference))).toEqual(folderNames);
      return (await reference.query(historyColumns)).rows;
    } finally {
      await reference.close();
    }
  })();
  return referenceColumns;
}

it("has at least the generated init migration", () => {
  expect(folderNames.length).toBeGreaterThan(0);
  expect(folderNames[0]).toMatch(/^\d{14}_init$/);
});

describe.each(testDrivers())("migrations on %s", (driver) => {
  let test: TestDatabase;
  const history = () =>
    test.db.prisma.$queryRawUnsafe<HistoryRow[]>(
      `SELECT * FROM _prisma_migrations ORDER BY started_at`,
    );

  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(() => test.cleanup());

  it("apply from an empty database, then apply nothing on a second run", async () => {
    await resetToEmpty(test.db);
    expect(await migrate(test.db)).toEqual({ applied: folderNames });
    expect(await migrate(test.db)).toEqual({ applied: [] });
    expect((await history()).map((row) => row.migration_name)).toEqual(folderNames);
  });

  it("record each migration as prisma migrate deploy does", async () => {
    const rows = await history();
    rows.forEach((row, index) => {
      expect(row).toMatchObject({
        migration_name: folders[index]?.name,
        checksum: checksumOf(folders[index]?.sql ?? ""),
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.id).toMatch(uuidPattern);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    });
  });

  // A fresh PGlite (initdb in WebAssembly) under Prisma's WASM schema engine: slow on a busy machine.
  it(
    "create _prisma_migrations with the same columns as Prisma's schema engine",
    { timeout: 120_000 },
    async () => {
      const expected = await prismaHistoryColumns();
      expect(expected).toHaveLength(8);
      expect(await test.db.prisma.$queryRawUnsafe(historyColumns)).toEqual(expected);
    },
  );

  it("refuse to run when an applied migration was edited", async () => {
    const [first] = folders;
    if (first === undefined) throw new Error("no migrations");
    await test.db.prisma.$executeRawUnsafe(
      `UPDATE _prisma_migrations SET checksum = 'edited' WHERE migration_name = $1`,
      first.name,
    );
    try {
      await expect(migrate(test.db)).rejects.toThrow(
        new MigrationError(
          `Migration ${first.name} was changed after it was applied (checksum mismatch); never edit an applied migration, create a new one with \`pnpm db:migration:create <name>\`.`,
        ),
      );
    } finally {
      await test.db.prisma.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2`,
        first.checksum,
        first.name,
      );
    }
  });

  it("refuse to run after a migration that failed half-way (as prisma does, P3009)", async () => {
    await test.db.prisma.$executeRawUnsafe(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (gen_random_uuid(), 'x', '29991231000000_broken')`,
    );
    try {
      await expect(migrate(test.db)).rejects.toThrow(/29991231000000_broken failed earlier/);
    } finally {
      await test.db.prisma.$executeRawUnsafe(
        `DELETE FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'`,
      );
    }
  });
});

describe.each(testDrivers())("compatibility with prisma migrate deploy on %s", (driver) => {
  if (driver === "pglite") {
    // Both appliers work on one in-process PGlite instance. Two empty databases mean
    // two initdb runs plus the schema engine: over 30 s on a loaded 2-core machine.
    it(
      "prisma sees our migrations as applied, and we see prisma's",
      { timeout: 90_000 },
      async () => {
        const ours = await createPglite("memory://");
        const theirs = await createPglite("memory://");
        try {
          expect(await applyMigrations(await pgliteConnection(ours))).toEqual({
            applied: folderNames,
          });
          expect(await prismaMigrateDeploy(new PrismaPGlite(ours))).toEqual([]);
          expect(await prismaMigrateDeploy(new PrismaPGlite(theirs))).toEqual(folderNames);
          expect(await applyMigrations(await pgliteConnection(theirs))).toEqual({ applied: [] });
        } finally {
          await Promise.all([ours.close(), theirs.close()]);
        }
      },
    );
    return;
  }

  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(() => test.cleanup());

  it("prisma sees our migrations as applied, and we see prisma's", async () => {
    const prismaAdapter = () => new PrismaPg({ connectionString: test.url });
    await resetToEmpty(test.db);
    expect(await migrate(test.db)).toEqual({ applied: folderNames });
    expect(await prismaMigrateDeploy(prismaAdapter())).toEqual([]);
    await resetToEmpty(test.db);
    expect(await prismaMigrateDeploy(prismaAdapter())).toEqual(folderNames);
    expect(await migrate(test.db)).toEqual({ applied: [] });
  });
});

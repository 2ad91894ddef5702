// Reads prisma/migrations the way `prisma migrate deploy` does: one folder per
// migration, applied in lexical order of the folder names, each identified by the
// SHA-256 of its migration.sql.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest `prisma/` folder holding `schema.prisma` above this file, not the
 * working directory, so any cwd works: `<repo>/prisma` in the repository, and
 * `<folder>/prisma` in a production folder made by `pnpm deploy`, where this
 * package sits deep under `node_modules/.pnpm` (the build copies prisma/ there).
 */
export const prismaDir = findPrismaDir(fileURLToPath(new URL(".", import.meta.url)));
export const migrationsDir = join(prismaDir, "migrations");
export const schemaPath = join(prismaDir, "schema.prisma");
export const migrationLockPath = join(migrationsDir, "migration_lock.toml");

export interface MigrationFolder {
  /** The folder name, e.g. `20250101000000_init`; the `migration_name` recorded in `_prisma_migrations`. */
  name: string;
  sql: string;
  checksum: string;
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrationFolders(dir = migrationsDir): Promise<MigrationFolder[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(emptyWhenMissing);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

function emptyWhenMissing(error: unknown): never[] {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
  throw error;
}

export function findPrismaDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prisma", "schema.prisma"))) return join(dir, "prisma");
    if (dirname(dir) === dir) return fileURLToPath(new URL("../../../../prisma/", import.meta.url));
  }
}

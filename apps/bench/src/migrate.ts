// Brings a fresh database to the project's schema, the way the project does it:
// `pnpm db:migrate` once packages/db provides it, else prisma/migrations/*, else
// (temporarily, while both are still being written) the schema's own DDL.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./config.ts";
import { withPool } from "./database.ts";

const MIGRATE_CLI = join(REPO_ROOT, "packages/db/src/cli/migrate.ts");
const MIGRATIONS_DIR = join(REPO_ROOT, "prisma/migrations");
const FALLBACK_SQL = new URL("./schema-fallback.sql", import.meta.url);

function runPnpmMigrate(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("pnpm", ["db:migrate"], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`pnpm db:migrate exited with ${code}`)),
    );
  });
}

function migrationFiles(): string[] {
  if (!existsSync(MIGRATIONS_DIR)) return [];
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(MIGRATIONS_DIR, entry.name, "migration.sql"))
    .filter((file) => existsSync(file))
    .sort();
}

async function applySqlFiles(url: string, sqlTexts: string[]): Promise<void> {
  await withPool(url, async (pool) => {
    for (const sql of sqlTexts) await pool.query(sql);
  });
}

/** Returns how the schema was applied, for the report. */
export async function migrateDatabase(url: string): Promise<string> {
  if (existsSync(MIGRATE_CLI)) {
    await runPnpmMigrate(url);
    return "pnpm db:migrate";
  }
  const files = migrationFiles();
  if (files.length > 0) {
    await applySqlFiles(
      url,
      files.map((file) => readFileSync(file, "utf8")),
    );
    return "prisma/migrations/*/migration.sql";
  }
  await applySqlFiles(url, [readFileSync(FALLBACK_SQL, "utf8")]);
  return "temporary DDL from prisma/schema.prisma (no migrations yet)";
}

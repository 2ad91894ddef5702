// Applies prisma/migrations/* in order. Each migration runs in its own
// transaction that first takes Prisma Migrate's advisory lock and re-reads the
// history, so processes starting together apply every migration exactly once,
// and a failed migration leaves nothing behind. The lock is transaction-scoped,
// so this also works through a transaction-mode pooler (PgBouncer, Neon pooled URLs).
import { ensureHistoryTable, lockMigrations, readHistory, recordApplied } from "./history.ts";
import { migrationsDir, readMigrationFolders } from "./files.ts";
import type { DriverConnection, SqlTransaction } from "../drivers/connection.ts";
import type { HistoryRow } from "./history.ts";
import type { MigrationFolder } from "./files.ts";

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function applyMigrations(
  connection: Pick<DriverConnection, "transaction">,
  folders?: MigrationFolder[],
): Promise<{ applied: string[] }> {
  const migrations = folders ?? (await defaultMigrations());
  const applied: string[] = [];
  for (;;) {
    const name = await connection.transaction((tx) => applyNextPending(tx, migrations));
    if (name === undefined) return { applied };
    applied.push(name);
  }
}

/** Applies the first migration not yet in the history; undefined when there is none. */
async function applyNextPending(
  tx: SqlTransaction,
  migrations: MigrationFolder[],
): Promise<string | undefined> {
  await lockMigrations(tx);
  await ensureHistoryTable(tx);
  const history = await readHistory(tx);
  verifyHistory(history, migrations);
  const done = new Set(history.filter(isFinished).map((row) => row.migration_name));
  const next = migrations.find((migration) => !done.has(migration.name));
  if (next === undefined) return undefined;
  await tx.exec(next.sql);
  await recordApplied(tx, next);
  return next.name;
}

/** An empty database must never pass for a migrated one: no folders found is an error. */
async function defaultMigrations(): Promise<MigrationFolder[]> {
  const migrations = await readMigrationFolders();
  if (migrations.length === 0) {
    throw new MigrationError(
      `No migrations found in ${migrationsDir}; a production folder needs prisma/ copied to its root.`,
    );
  }
  return migrations;
}

function isFinished(row: HistoryRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

/** Refuses to go on from a history that no longer matches the migration folders. */
function verifyHistory(history: HistoryRow[], migrations: MigrationFolder[]): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of history) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${row.migration_name} failed earlier and was left unfinished; fix the database, then mark it with \`prisma migrate resolve\`.`,
      );
    }
    const migration = byName.get(row.migration_name);
    if (migration !== undefined && migration.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was changed after it was applied (checksum mismatch); never edit an applied migration, create a new one with \`pnpm db:migration:create <name>\`.`,
      );
    }
  }
}

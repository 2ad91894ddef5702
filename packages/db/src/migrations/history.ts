// The `_prisma_migrations` table, exactly as Prisma's schema engine creates and
// fills it for PostgreSQL, so `prisma migrate deploy/status` treat migrations
// applied here as their own.
import { randomUUID } from "node:crypto";
import type { SqlTransaction } from "../drivers/connection.ts";
import type { MigrationFolder } from "./files.ts";

/** Prisma Migrate's advisory lock key: sharing it also serializes us against a concurrent `prisma migrate deploy`. */
export const prismaMigrateLockKey = 72707369;

const createHistoryTable = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Waits for the lock, which is released when the transaction ends. */
export async function lockMigrations(tx: SqlTransaction): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${prismaMigrateLockKey})`);
}

export async function ensureHistoryTable(tx: SqlTransaction): Promise<void> {
  const [row] = await tx.query<{ exists: boolean }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`,
  );
  if (row?.exists !== true) await tx.exec(createHistoryTable);
}

export function readHistory(tx: SqlTransaction): Promise<HistoryRow[]> {
  return tx.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at`,
  );
}

/** One finished step, like `prisma migrate deploy` records after a migration script succeeds. */
export async function recordApplied(tx: SqlTransaction, migration: MigrationFolder): Promise<void> {
  await tx.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
    [randomUUID(), migration.checksum, migration.name],
  );
}

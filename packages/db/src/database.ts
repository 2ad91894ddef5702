// One entry point for all drivers: createDatabase picks the driver from the
// config, migrates when that is wanted, and hands back a Prisma client.
import { connectNeon } from "./drivers/neon.ts";
import { connectPg } from "./drivers/pg.ts";
import { connectPglite } from "./drivers/pglite.ts";
import { applyMigrations } from "./migrations/apply.ts";
import { retryingConflicts, runSql, runTransaction, type SqlRunner } from "./sql.ts";
import type { DatabaseConfig, DatabaseDriver } from "./config.ts";
import type { DriverConnection } from "./drivers/connection.ts";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

export interface Database {
  readonly prisma: PrismaClient;
  readonly driver: DatabaseDriver;
  /**
   * One statement on the driver adapter under `prisma`, for the hottest paths:
   * rows keyed by column name, values as the driver gives them (src/sql.ts).
   */
  sql<Row>(statement: Prisma.Sql): Promise<Row[]>;
  /**
   * Several `sql` statements in one transaction on one connection, for the writes
   * that need to read first (keyed creates); rolled back when `work` throws.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a query; rejects otherwise. */
  ping(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

const connectors: Record<DatabaseDriver, (config: DatabaseConfig) => Promise<DriverConnection>> = {
  pglite: connectPglite,
  pg: connectPg,
  neon: connectNeon,
};

/** The raw connection behind each Database, for migrate(database). */
const connections = new WeakMap<Database, DriverConnection>();

/**
 * The embedded PGlite database always migrates itself (nobody else can reach it);
 * a real PostgreSQL only when `config.migrateOnStart` opts in.
 */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  return openDatabase(await connectors[config.driver](config), config);
}

/** createDatabase on a connection opened elsewhere (the testing module's PGlite clones). */
export async function openDatabase(
  connection: DriverConnection,
  config: DatabaseConfig,
): Promise<Database> {
  try {
    if (config.driver === "pglite" || config.migrateOnStart) await applyMigrations(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const database: Database = {
    prisma: connection.prisma,
    driver: config.driver,
    sql: (statement) => retryingConflicts(() => runSql(connection.adapter, statement)),
    transaction: (work) => runTransaction(connection.adapter, work),
    ping: async () => {
      await connection.prisma.$queryRaw`SELECT 1`;
    },
    close: connection.close,
  };
  connections.set(database, connection);
  return database;
}

/**
 * Applies pending migrations from prisma/migrations. Given a Database, uses its
 * connection; given a config, opens a connection just for this and closes it.
 */
export async function migrate(target: Database | DatabaseConfig): Promise<{ applied: string[] }> {
  const existing = "prisma" in target ? connections.get(target) : undefined;
  if (existing !== undefined) return applyMigrations(existing);
  if ("prisma" in target)
    throw new TypeError("migrate() needs a Database made by createDatabase()");
  const connection = await connectors[target.driver](target);
  try {
    return await applyMigrations(connection);
  } finally {
    await connection.close();
  }
}

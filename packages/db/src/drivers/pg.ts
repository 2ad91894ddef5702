// node-postgres: a pool of TCP connections, shared by Prisma (adapter-pg) and
// the migration applier.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { sharedAdapter } from "./adapter.ts";
import { once, pgTransaction } from "./connection.ts";
import { statementNamer } from "./statement-names.ts";
import type { DatabaseConfig } from "../config.ts";
import type { DriverConnection } from "./connection.ts";

/** How long to wait for a connection before calling the database unreachable. */
export const connectionTimeoutMillis = 5_000;

export function poolOptions(config: DatabaseConfig): pg.PoolConfig {
  return {
    connectionString: requireUrl(config),
    max: config.pool.max,
    min: config.pool.min,
    maxLifetimeSeconds: config.pool.maxLifetimeSeconds,
    idleTimeoutMillis: config.pool.idleTimeoutMillis,
    connectionTimeoutMillis,
  };
}

export async function connectPg(config: DatabaseConfig): Promise<DriverConnection> {
  const pool = new pg.Pool(poolOptions(config));
  // An idle client losing its server (restart, failover) must not crash the process;
  // the pool drops it and the next query reconnects.
  pool.on("error", () => undefined);
  const { adapter, factory } = await sharedAdapter(
    new PrismaPg(
      pool,
      config.preparedStatements ? { statementNameGenerator: statementNamer() } : {},
    ),
  );
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    adapter,
    transaction: async (work) => {
      const client = await pool.connect();
      let failed = false;
      try {
        return await pgTransaction(client, work);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // A connection that failed mid-transaction is discarded rather than reused.
        client.release(failed);
      }
    },
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

export function requireUrl(config: DatabaseConfig): string {
  if (config.url === undefined)
    throw new Error(`DATABASE_URL is required for the ${config.driver} driver`);
  return config.url;
}

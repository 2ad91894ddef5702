// What every driver hands back: a Prisma client on that driver, the driver adapter
// under it (for statements below Prisma's client), plus raw SQL transactions for
// the migration applier (which needs multi-statement scripts and advisory locks,
// below what the Prisma client exposes).
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import type { PrismaClient } from "../generated/prisma/client.ts";

export interface SqlTransaction {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
}

export interface DriverConnection {
  readonly prisma: PrismaClient;
  /** The adapter Prisma's client runs on, shared with it. */
  readonly adapter: SqlDriverAdapter;
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Idempotent: disconnects Prisma and releases the pool or embedded database. */
  close(): Promise<void>;
}

/** The part of the `pg` client API that `pg` and `@neondatabase/serverless` clients share. */
export interface PgProtocolClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * BEGIN/COMMIT on one connection. Without parameters, `pg` uses the simple query
 * protocol, which is what allows a migration script of many statements.
 */
export async function pgTransaction<T>(
  client: PgProtocolClient,
  work: (tx: SqlTransaction) => Promise<T>,
): Promise<T> {
  const tx: SqlTransaction = {
    query: async <Row>(sql: string, params: unknown[] = []) =>
      (await client.query(sql, params)).rows as Row[],
    exec: async (script) => {
      await client.query(script);
    },
  };
  await client.query("BEGIN");
  try {
    const result = await work(tx);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Runs `close` once; later calls get the same promise. */
export function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

// One SQL statement straight on the driver adapter, below Prisma's client. Prisma's
// `$queryRaw` spent 80–105 µs of CPU per statement on top of the adapter's own
// 45–76 µs (argument serialization, its query interpreter, result mapping), more
// than PostgreSQL took to run the task queries (docs/database.md).
import type { ArgType, SqlDriverAdapter, SqlQueryable } from "@prisma/driver-adapter-utils";
import { PLAN_EACH_CALL } from "./drivers/statement-names.ts";
import { isWriteConflictError } from "./errors.ts";
import { Prisma } from "./generated/prisma/client.ts";

/** Values go to the driver as they are; statements cast them (`$1::uuid`) where it matters. */
const PLAIN_ARGUMENT: ArgType = { scalarType: "unknown", arity: "scalar" };

/**
 * Rows as objects keyed by column name, values as the driver returns them
 * (text, booleans, numbers; select timestamps as text to get one format on
 * every driver).
 */
export async function runSql<Row>(adapter: SqlQueryable, statement: Prisma.Sql): Promise<Row[]> {
  const { values } = statement;
  const result = await adapter.queryRaw({
    sql: statement.text,
    args: values,
    argTypes: values.map(() => PLAIN_ARGUMENT),
  });
  const { columnNames } = result;
  return result.rows.map((cells) => {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < columnNames.length; index += 1) {
      row[columnNames[index] as string] = cells[index];
    }
    return row as Row;
  });
}

/** Attempts of a statement that keeps losing deadlocks before its error is the caller's. */
const CONFLICT_ATTEMPTS = 4;

/**
 * Runs a statement of its own (not inside a transaction) again when PostgreSQL
 * aborted it to break a deadlock: bulk changes of one user racing each other lock
 * the same rows in different orders. A short random pause lets the winner commit.
 */
export async function retryingConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= CONFLICT_ATTEMPTS || !isWriteConflictError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** Runs statements (each as `runSql` runs them) inside one transaction. */
export interface SqlRunner {
  sql<Row>(statement: Prisma.Sql): Promise<Row[]>;
}

const BARE = { args: [], argTypes: [] };

/**
 * One transaction on a connection of the adapter's pool, as Prisma's own
 * `$transaction` opens it: committed when `work` resolves, rolled back when it
 * throws. Adapters whose transaction is a driver callback (PGlite) end it in
 * `commit()`/`rollback()` (their "phantom" COMMIT); the others need the statement.
 */
export async function runTransaction<T>(
  adapter: SqlDriverAdapter,
  work: (tx: SqlRunner) => Promise<T>,
): Promise<T> {
  const tx = await adapter.startTransaction();
  const sendsEnd = !tx.options.usePhantomQuery;
  let result: T;
  try {
    result = await work({ sql: (statement) => runSql(tx, statement) });
    if (sendsEnd) await tx.executeRaw({ sql: "COMMIT", ...BARE });
  } catch (error) {
    if (sendsEnd) await tx.executeRaw({ sql: "ROLLBACK", ...BARE }).catch(() => undefined);
    await tx.rollback();
    throw error;
  }
  await tx.commit();
  return result;
}

/**
 * The statement, run unprepared so that PostgreSQL plans it for its values on
 * every call (see PLAN_EACH_CALL); the other drivers plan every call anyway.
 */
export function planEachCall(statement: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(PLAN_EACH_CALL)}${statement}`;
}

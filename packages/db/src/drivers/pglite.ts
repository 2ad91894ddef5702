// The embedded database: PostgreSQL compiled to WASM, in-process, on a folder or
// in memory. One process owns the folder at a time.
import { mkdir } from "node:fs/promises";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.ts";
import { sharedAdapter } from "./adapter.ts";
import { once } from "./connection.ts";
import { createPglite } from "./pglite-instance.ts";
import type { DatabaseConfig } from "../config.ts";
import type { DriverConnection, SqlTransaction } from "./connection.ts";

export async function connectPglite(config: DatabaseConfig): Promise<DriverConnection> {
  return pgliteConnection(await openPglite(config.pgliteDir));
}

/** A connection on an open PGlite instance; closing it closes the instance. */
export async function pgliteConnection(pglite: PGlite): Promise<DriverConnection> {
  const { adapter, factory } = await sharedAdapter(new PrismaPGlite(pglite));
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    adapter,
    transaction: pgliteTransaction(pglite),
    close: once(async () => {
      await prisma.$disconnect();
      await pglite.close();
    }),
  };
}

async function openPglite(dir: string): Promise<PGlite> {
  if (!dir.startsWith("memory://")) await mkdir(dir, { recursive: true });
  return createPglite(dir);
}

/** Raw SQL transactions on PGlite, for the migration applier. */
export function pgliteTransaction(pglite: PGlite): DriverConnection["transaction"] {
  return (work) =>
    pglite.transaction((tx) => {
      const sqlTx: SqlTransaction = {
        query: async <Row>(sql: string, params?: unknown[]) =>
          (await tx.query<Row>(sql, params)).rows,
        exec: async (script) => {
          await tx.exec(script);
        },
      };
      return work(sqlTx);
    });
}

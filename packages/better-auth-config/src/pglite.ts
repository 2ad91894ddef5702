import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect } from "kysely";

/** An embedded PostgreSQL (a folder, or `memory://`) behind Kysely, as Better Auth wants it. */
export async function openPGliteDatabase(dataDir: string): Promise<Kysely<AnyTables>> {
  const pglite = await PGlite.create(dataDir);
  return new Kysely<AnyTables>({ dialect: new PGliteDialect({ pglite }) });
}

/** Better Auth owns the table shapes; this package never queries them itself. */
export type AnyTables = Record<string, Record<string, unknown>>;

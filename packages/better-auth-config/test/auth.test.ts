import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { migrateAuthDatabase } from "../src/index.ts";
import { baseURL, expectTrimmedToken, secret } from "./token.ts";

describe("createAuth on embedded PGlite", () => {
  it(
    "migrates idempotently and issues a trimmed EdDSA token whose sub is the user id",
    { timeout: 90_000 },
    async () => {
      const pglite = await PGlite.create("memory://");
      const options = { baseURL, secret, database: pglite };
      await migrateAuthDatabase(options);
      await migrateAuthDatabase(options);
      const tables = await pglite.query<{ tablename: string }>(
        "select tablename from pg_tables where schemaname = 'public' order by tablename",
      );
      expect(tables.rows.map((row) => row.tablename)).toEqual([
        "account",
        "jwks",
        "session",
        "user",
        "verification",
      ]);
      await expectTrimmedToken(options, "eddsa@example.com", "EdDSA");
      await pglite.close();
    },
  );
});

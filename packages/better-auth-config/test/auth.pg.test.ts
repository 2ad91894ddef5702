import { requiredServiceUrl } from "@tasks/vitest-config";
import pg from "pg";
import { afterAll, describe, it } from "vitest";
import { baseURL, expectTrimmedToken, secret } from "./token.ts";

describe("createAuth on PostgreSQL through a pg Pool", () => {
  const adminUrl = requiredServiceUrl("postgres");
  const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await admin.end();
  });

  /** A fresh database per test, dropped afterwards. */
  async function freshPool(): Promise<pg.Pool> {
    const name = `auth_config_${process.pid}_${cleanups.length}_${Date.now()}`;
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString() });
    cleanups.push(async () => {
      await pool.end();
      await admin.query(`drop database if exists ${name}`);
    });
    return pool;
  }

  it.each(["EdDSA", "ES256", "RS256", "PS256"] as const)(
    "issues a trimmed %s token",
    async (jwtAlgorithm) => {
      const database = await freshPool();
      await expectTrimmedToken(
        { baseURL, secret, database, jwtAlgorithm },
        "pool@example.com",
        jwtAlgorithm,
      );
    },
  );
});

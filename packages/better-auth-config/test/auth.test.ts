import { PGlite } from "@electric-sql/pglite";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  createAuth,
  migrateAuthDatabase,
  type AuthConfigOptions,
  type TasksAuth,
} from "../src/index.ts";

const baseURL = "http://127.0.0.1:8999";
const secret = "test-secret-test-secret-test-secret-0123";

/** Signs a user up through Better Auth's own request handler and fetches a JWT as a frontend would. */
async function signUpAndGetToken(auth: TasksAuth, email: string) {
  const signUp = await auth.handler(
    new Request(`${baseURL}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL },
      body: JSON.stringify({ email, password: "a-long-password", name: "Test User" }),
    }),
  );
  expect(signUp.status).toBe(200);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const tokenResponse = await auth.handler(
    new Request(`${baseURL}/api/auth/token`, { headers: { cookie } }),
  );
  const { token } = (await tokenResponse.json()) as { token: string };
  const jwks = await (await auth.handler(new Request(`${baseURL}/api/auth/jwks`))).json();
  return { userId: user.id, token, jwks: jwks as { keys: [] } };
}

async function expectTrimmedToken(options: AuthConfigOptions, email: string, alg: string) {
  const auth = createAuth(options);
  await migrateAuthDatabase(auth);
  const { userId, token, jwks } = await signUpAndGetToken(auth, email);
  expect(decodeProtectedHeader(token).alg).toBe(alg);
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: baseURL,
    audience: baseURL,
  });
  expect(Object.keys(payload).sort()).toEqual(["aud", "email", "exp", "iat", "iss", "name", "sub"]);
  expect(payload).toMatchObject({ sub: userId, email, name: "Test User" });
  expect((payload.exp as number) - (payload.iat as number)).toBe(15 * 60);
}

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

describe("createAuth on PostgreSQL through a pg Pool", () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
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

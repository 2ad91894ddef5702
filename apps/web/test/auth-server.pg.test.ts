import { randomBytes } from "node:crypto";
import { adminQuery, withDatabase } from "@tasks/db/testing";
import { requiredServiceUrl } from "@tasks/vitest-config";
import { afterAll, describe, expect, it } from "vitest";
import { startAuth } from "@/auth/server";
import { webEnv } from "@/env";
import { signUp, verifiedServerToken } from "./support/auth-checks.ts";

const adminUrl = requiredServiceUrl("postgres");
const database = `web_auth_${randomBytes(4).toString("hex")}`;
const baseURL = "http://127.0.0.1:3999";

describe("the web app's Better Auth on PostgreSQL (AUTH_DATABASE_URL)", () => {
  afterAll(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

  it("creates its tables, signs up and mints a verifiable JWT", async () => {
    await adminQuery(adminUrl, `CREATE DATABASE ${database}`);
    const env = webEnv({
      BETTER_AUTH_URL: baseURL,
      BETTER_AUTH_SECRET: "a-test-secret-a-test-secret-a-test-secret",
      AUTH_DATABASE_URL: withDatabase(adminUrl, database),
    });
    const auth = await startAuth(env);
    const cookie = await signUp(auth, baseURL, "pg@example.com");
    expect((await verifiedServerToken(auth, baseURL, cookie)).email).toBe("pg@example.com");
    // A second start on the same database finds its tables and keys.
    const again = await startAuth(env);
    expect((await verifiedServerToken(again, baseURL, cookie)).email).toBe("pg@example.com");
  });
});

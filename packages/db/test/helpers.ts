// Small helpers shared by the test files: raw SQL against a test database, the
// admin connection of TEST_DATABASE_URL, free ports and expected rejections.
import { createServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";
import type { AddressInfo } from "node:net";
import type { Database, DatabaseDriver } from "../src/index.ts";

/** A fresh test database for the enclosing `describe`: filled in before its tests, dropped after. */
export function useTestDatabase(driver: DatabaseDriver): TestDatabase {
  const test = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(test, await createTestDatabase(driver));
  });
  afterAll(() => test.cleanup());
  return test;
}

/** Empties a migrated test database, so the next migrate() starts from nothing. */
export async function resetToEmpty(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`DROP SCHEMA public CASCADE`);
  await db.prisma.$executeRawUnsafe(`CREATE SCHEMA public`);
}

export function databaseNameOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** Runs `work` with a plain pg client (outside any pool under test), by default on TEST_DATABASE_URL. */
export async function withAdminClient<T>(
  work: (client: pg.Client) => Promise<T>,
  url = process.env.TEST_DATABASE_URL,
): Promise<T> {
  if (url === undefined) throw new Error("TEST_DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Server connections to `database`, not counting the admin client's own. */
export async function connectionCount(admin: pg.Client, database: string): Promise<number> {
  const result = await admin.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return result.rows[0]?.count ?? 0;
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A port nothing listens on: bound, noted, released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

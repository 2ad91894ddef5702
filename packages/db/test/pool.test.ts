import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../src/index.ts";
import { connectionTimeoutMillis, poolOptions } from "../src/drivers/pg.ts";
import { createTestDatabase, testDrivers } from "../src/testing.ts";
import { connectionCount, databaseNameOf, withAdminClient } from "./helpers.ts";
import type { DatabaseConfig } from "../src/index.ts";
import type { TestDatabase } from "../src/testing.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("maps the pool settings onto pg's pool options", () => {
  const config: DatabaseConfig = {
    driver: "pg",
    url: "postgres://localhost/tasks",
    pgliteDir: "memory://",
    pool: { max: 7, min: 2, maxLifetimeSeconds: 120, idleTimeoutMillis: 3000 },
    preparedStatements: true,
    migrateOnStart: false,
  };
  expect(poolOptions(config)).toEqual({
    connectionString: "postgres://localhost/tasks",
    max: 7,
    min: 2,
    maxLifetimeSeconds: 120,
    idleTimeoutMillis: 3000,
    connectionTimeoutMillis,
  });
});

const serverDrivers = testDrivers().filter((driver) => driver !== "pglite");

describe.each(serverDrivers)("the %s pool", (driver) => {
  let test: TestDatabase;
  let database: string;
  const pool = { max: 3, min: 1, maxLifetimeSeconds: 300, idleTimeoutMillis: 300 };

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    database = databaseNameOf(test.url ?? "");
    // Only the pool under test may hold connections to this database.
    await test.db.close();
  });
  afterAll(() => test.cleanup());

  it(`never opens more than max connections, and shrinks to min when idle`, async () => {
    const db = await createDatabase({ ...test.config, pool, migrateOnStart: false });
    try {
      await withAdminClient(async (admin) => {
        let peak = 0;
        let running = true;
        const sampling = (async () => {
          while (running) {
            peak = Math.max(peak, await connectionCount(admin, database));
            await sleep(25);
          }
        })();
        const started = performance.now();
        try {
          const sleeps = Array.from(
            { length: pool.max + 5 },
            () => db.prisma.$executeRaw`SELECT pg_sleep(0.2)`,
          );
          await Promise.all(sleeps);
        } finally {
          running = false;
          await sampling;
        }
        const elapsed = performance.now() - started;

        expect(peak).toBe(pool.max);
        // 8 sleeps of 200 ms through 3 connections take at least three rounds.
        expect(elapsed).toBeGreaterThanOrEqual(3 * 200 - 20);

        await sleep(pool.idleTimeoutMillis + 700);
        expect(await connectionCount(admin, database)).toBe(pool.min);
      });
    } finally {
      await db.close();
    }
    await withAdminClient(async (admin) => expect(await connectionCount(admin, database)).toBe(0));
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_EACH_CALL, statementNamer } from "../src/drivers/statement-names.ts";
import { createDatabase, planEachCall, Prisma, type Database } from "../src/index.ts";
import { createTestDatabase, testDrivers, type TestDatabase } from "../src/testing.ts";

describe("statementNamer", () => {
  it("gives each distinct SQL text one name for good", () => {
    const name = statementNamer();
    const first = name({ sql: "SELECT 1" });
    expect(name({ sql: "SELECT 2" })).not.toBe(first);
    expect(name({ sql: "SELECT 1" })).toBe(first);
  });

  it("leaves statements led by PLAN_EACH_CALL unnamed, so each call is planned for its values", () => {
    const name = statementNamer();
    expect(name({ sql: `${PLAN_EACH_CALL}SELECT 1` })).toBe("");
    expect(name({ sql: "SELECT 1" })).toBe("s1");
  });

  it("stops naming (node-postgres then runs statements unnamed) after 500 texts", () => {
    const name = statementNamer();
    for (let index = 0; index < 500; index += 1) name({ sql: `SELECT ${index}` });
    expect(name({ sql: "SELECT 'one too many'" })).toBe("");
    expect(name({ sql: "SELECT 0" })).toBe("s1");
  });
});

const SHAPE = "SELECT count(*)::int AS n FROM tasks WHERE user_id = $1";

describe.each(testDrivers().filter((driver) => driver === "pg"))("the %s driver", (driver) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(() => test.cleanup());

  /** The statements prepared on the one connection of a fresh single-connection pool. */
  async function preparedAfterTwoCalls(preparedStatements: boolean): Promise<string[]> {
    const db: Database = await createDatabase({
      ...test.config,
      pool: { ...test.config.pool, max: 1, min: 0 },
      preparedStatements,
      migrateOnStart: false,
    });
    try {
      for (const user of ["a", "b"]) {
        expect(await db.prisma.$queryRawUnsafe(SHAPE, user)).toEqual([{ n: 0 }]);
      }
      const rows = await db.prisma.$queryRawUnsafe<{ statement: string }[]>(
        "SELECT statement FROM pg_prepared_statements",
      );
      return rows.map((row) => row.statement);
    } finally {
      await db.close();
    }
  }

  it("prepares each statement once per connection (DB_PREPARED_STATEMENTS=true)", async () => {
    const statements = await preparedAfterTwoCalls(true);
    expect(statements.filter((statement) => statement === SHAPE)).toHaveLength(1);
  });

  it("prepares no statement made with planEachCall", async () => {
    const db: Database = await createDatabase({
      ...test.config,
      pool: { ...test.config.pool, max: 1, min: 0 },
      preparedStatements: true,
      migrateOnStart: false,
    });
    try {
      const search = planEachCall(
        Prisma.sql`SELECT count(*)::int AS n FROM tasks WHERE title ILIKE ${"%rare%"}`,
      );
      for (let call = 0; call < 2; call += 1) expect(await db.sql(search)).toEqual([{ n: 0 }]);
      const rows = await db.sql<{ statement: string }>(
        Prisma.sql`SELECT statement FROM pg_prepared_statements`,
      );
      expect(rows.map((row) => row.statement)).toEqual([
        "SELECT statement FROM pg_prepared_statements",
      ]);
    } finally {
      await db.close();
    }
  });

  it("prepares none with DB_PREPARED_STATEMENTS=false", async () => {
    expect(await preparedAfterTwoCalls(false)).toEqual([]);
  });
});

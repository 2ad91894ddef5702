import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementNamer } from "../src/drivers/statement-names.ts";
import { createDatabase, type Database } from "../src/index.ts";
import { createTestDatabase, testDrivers, type TestDatabase } from "../src/testing.ts";

describe("statementNamer", () => {
  it("gives each distinct SQL text one name for good", () => {
    const name = statementNamer();
    const first = name({ sql: "SELECT 1" });
    expect(name({ sql: "SELECT 2" })).not.toBe(first);
    expect(name({ sql: "SELECT 1" })).toBe(first);
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

  it("prepares none with DB_PREPARED_STATEMENTS=false", async () => {
    expect(await preparedAfterTwoCalls(false)).toEqual([]);
  });
});

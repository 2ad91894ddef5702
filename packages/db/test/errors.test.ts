import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, isDatabaseUnavailableError, migrate, Prisma } from "../src/index.ts";
import { testDrivers } from "../src/testing.ts";
import { freePort, rejectionOf, useTestDatabase } from "./helpers.ts";
import type { AddressInfo, Server, Socket } from "node:net";
import type { DatabaseConfig } from "../src/index.ts";

function pgConfig(url: string): DatabaseConfig {
  return {
    driver: "pg",
    url,
    pgliteDir: "memory://",
    pool: { max: 2, min: 0, maxLifetimeSeconds: 0, idleTimeoutMillis: 1000 },
    preparedStatements: true,
    migrateOnStart: false,
  };
}

describe("isDatabaseUnavailableError on real connection failures", () => {
  let blackhole: Server;
  const held = new Set<Socket>();
  beforeAll(async () => {
    // Accepts TCP connections and never answers, like a database behind a dead link.
    blackhole = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  it("is true when nothing listens on the port (through Prisma, db.sql and raw pg)", async () => {
    const config = pgConfig(`postgres://postgres@127.0.0.1:${await freePort()}/tasks`);
    const db = await createDatabase(config);
    try {
      const error = await rejectionOf(db.ping());
      expect(isDatabaseUnavailableError(error)).toBe(true);
      expect(isDatabaseUnavailableError(await rejectionOf(db.prisma.task.findMany()))).toBe(true);
      expect(isDatabaseUnavailableError(await rejectionOf(db.sql(Prisma.sql`SELECT 1`)))).toBe(
        true,
      );
    } finally {
      await db.close();
    }
    expect(isDatabaseUnavailableError(await rejectionOf(migrate(config)))).toBe(true);
  });

  it(
    "is true when the server never answers (pool connect timeout)",
    { timeout: 20_000 },
    async () => {
      const { port } = blackhole.address() as AddressInfo;
      const db = await createDatabase(pgConfig(`postgres://postgres@127.0.0.1:${port}/tasks`));
      try {
        expect(isDatabaseUnavailableError(await rejectionOf(db.ping()))).toBe(true);
        expect(isDatabaseUnavailableError(await rejectionOf(db.sql(Prisma.sql`SELECT 1`)))).toBe(
          true,
        );
      } finally {
        await db.close();
      }
    },
  );

  it("is true for server-side connection SQLSTATEs and adapter kinds", () => {
    expect(
      isDatabaseUnavailableError(
        Object.assign(new Error("terminating connection"), { code: "57P01" }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailableError(Object.assign(new Error("x"), { code: "08006" }))).toBe(true);
    expect(
      isDatabaseUnavailableError(new Error("wrapped", { cause: { kind: "DatabaseNotReachable" } })),
    ).toBe(true);
  });

  it("is false for things that are not errors of reachability", () => {
    for (const value of [
      null,
      undefined,
      "ECONNREFUSED",
      42,
      new Error("boom"),
      { code: "23505" },
    ]) {
      expect(isDatabaseUnavailableError(value)).toBe(false);
    }
  });
});

describe.each(testDrivers())("isDatabaseUnavailableError on %s query errors", (driver) => {
  const test = useTestDatabase(driver);

  it("is false for a unique-constraint violation", async () => {
    const task = await test.db.prisma.task.create({ data: { userId: "u", title: "once" } });
    const error = await rejectionOf(
      test.db.prisma.task.create({ data: { id: task.id, userId: "u", title: "twice" } }),
    );
    expect(error).toMatchObject({ code: "P2002" });
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });

  it("is false for a SQL error", async () => {
    const error = await rejectionOf(test.db.prisma.$queryRawUnsafe("SELECT * FROM no_such_table"));
    expect(isDatabaseUnavailableError(error)).toBe(false);
    const direct = await rejectionOf(test.db.sql(Prisma.sql`SELECT * FROM no_such_table`));
    expect(direct).toBeInstanceOf(Error);
    expect(isDatabaseUnavailableError(direct)).toBe(false);
  });
});

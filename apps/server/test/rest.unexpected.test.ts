import { createTestDatabase, testDrivers, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

/**
 * A real unexpected failure: the tasks table is renamed under the running server
 * (schema drift), so every query fails with an SQL error that is not an outage.
 */
describe.each(testDrivers())("an unexpected failure (%s)", (driver) => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    server = await TestServer.start(driver, { db: database.db });
    token = await server.tokenFor(newUserId());
    expect((await server.request("GET", "/api/v1/tasks", { token })).status).toBe(200);
    await database.db.prisma.$executeRaw`ALTER TABLE tasks RENAME TO tasks_elsewhere`;
  });
  afterAll(async () => {
    await server.close();
    await database.cleanup();
  });

  it("answers 500 with a bare sentence: no stack, SQL, table name or token", async () => {
    const reply = await server.request("GET", "/api/v1/tasks", {
      token,
      headers: { "x-request-id": "boom-rest" },
    });
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ detail: "An unexpected error occurred." });
    expect(reply.text).not.toMatch(/tasks|SELECT|relation|at \/|prisma/i);
    expect(reply.headers.get("x-request-id")).toBe("boom-rest");
  });

  it("logs the cause with the request id", async () => {
    await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "x" },
      headers: { "x-request-id": "boom-log" },
    });
    const errors = server.logs.withRequestId("boom-log").filter((line) => line.level === 50);
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).toMatch(/tasks/);
    expect(server.logs.text).not.toContain(token);
  });

  it("answers INTERNAL_SERVER_ERROR over /trpc with the same sentence", async () => {
    const reply = await server.request("GET", "/trpc/tasks.list?input=%7B%7D", { token });
    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({
      error: { message: "An unexpected error occurred.", data: { code: "INTERNAL_SERVER_ERROR" } },
    });
    expect(reply.text).not.toMatch(/tasks_|SELECT|relation|stack|prisma/i);
  });
});

import { createDatabase, databaseConfigFromEnv, databaseEnvSchema, type Database } from "@tasks/db";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/main-process.ts";
import { newUserId, TestServer, type Reply } from "./support/server.ts";
import { startServerBehindProxy, type ServerBehindProxy } from "./support/behind-proxy.ts";
import type { TcpProxy } from "./support/tcp-proxy.ts";

function expectUnavailable(reply: Reply): void {
  expect(reply.status).toBe(503);
  expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
  const body = JSON.stringify(reply.body);
  expect(body).toMatch(/database is unavailable/i);
  expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres:|stack/i);
}

async function poll(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe("a database that cannot be reached at all", () => {
  let db: Database;
  let server: TestServer;

  beforeAll(async () => {
    const env = databaseEnvSchema.parse({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/tasks`,
    });
    db = await createDatabase(databaseConfigFromEnv(env));
    server = await TestServer.start("pg", { db });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it("gives 503 + Retry-After on REST, /trpc and /ready, while /health stays 200", async () => {
    const token = await server.tokenFor(newUserId());
    expectUnavailable(await server.request("GET", "/api/v1/tasks", { token }));
    expectUnavailable(
      await server.request("POST", "/api/v1/tasks", { token, body: { title: "lost" } }),
    );

    const trpc = await server.request("GET", "/trpc/tasks.list?input=%7B%7D", { token });
    expect(trpc.status).toBe(503);
    expect(trpc.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(trpc.body).toMatchObject({ error: { data: { code: "SERVICE_UNAVAILABLE" } } });

    const ready = await server.request("GET", "/ready");
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await server.request("GET", "/health")).status).toBe(200);
  });
});

describe.each(testDrivers().filter((driver) => driver === "pg"))(
  "a PostgreSQL outage (%s)",
  (driver) => {
    let setup: ServerBehindProxy;
    let proxy: TcpProxy;
    let server: TestServer;

    beforeAll(async () => {
      setup = await startServerBehindProxy(driver);
      ({ proxy, server } = setup);
    });
    afterAll(() => setup.close());

    it("answers 503 while the database is away and recovers by itself when it returns", async () => {
      const token = await server.tokenFor(newUserId());
      const created = await server.request("POST", "/api/v1/tasks", {
        token,
        body: { title: "survives" },
      });
      expect(created.status).toBe(201);

      await proxy.stop();
      expectUnavailable(await server.request("GET", "/api/v1/tasks", { token }));
      expect((await server.request("GET", "/ready")).status).toBe(503);

      await proxy.resume();
      const recovered = await poll(
        async () => (await server.request("GET", "/ready")).status === 200,
        15_000,
      );
      expect(recovered).toBe(true);
      const list = await server.request("GET", "/api/v1/tasks", { token });
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ items: [{ title: "survives" }] });
    });
  },
);

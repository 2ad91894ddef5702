import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { requiredServiceUrl } from "@tasks/vitest-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

const redisUrl = requiredServiceUrl("redis");
const [driver = "pglite"] = testDrivers();

describe("rate limits shared through Redis", () => {
  const MAX = 4;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    const shared = {
      env: { RATE_LIMIT_MAX: String(MAX), REDIS_URL: redisUrl },
      rateLimitNamespace: `test-rl:${randomUUID()}:`,
    };
    first = await TestServer.start(driver, shared);
    second = await TestServer.start(driver, { ...shared, issuer: first.issuer });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it("spends one budget per user across two server instances", async () => {
    const token = await first.tokenFor(newUserId());
    const statuses: number[] = [];
    for (let i = 0; i <= MAX; i += 1) {
      const server = i % 2 === 0 ? first : second;
      statuses.push((await server.request("GET", "/api/v1/tasks", { token })).status);
    }
    expect(statuses).toEqual([...Array<number>(MAX).fill(200), 429]);

    const other = await first.tokenFor(newUserId());
    expect((await second.request("GET", "/api/v1/tasks", { token: other })).status).toBe(200);
  });
});

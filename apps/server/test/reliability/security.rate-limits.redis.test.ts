import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { requiredServiceUrl } from "@tasks/vitest-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "../support/server.ts";

const redisUrl = requiredServiceUrl("redis");
const [driver = "pglite"] = testDrivers();

describe("rate limits per user across three instances sharing the real Redis", () => {
  const MAX = 6;
  const instances: TestServer[] = [];

  beforeAll(async () => {
    const shared = {
      env: { RATE_LIMIT_MAX: String(MAX), RATE_LIMIT_WINDOW_MS: "60000", REDIS_URL: redisUrl },
      rateLimitNamespace: `reliability-rl:${randomUUID()}:`,
    };
    const first = await TestServer.start(driver, shared);
    instances.push(first);
    for (let index = 1; index < 3; index += 1) {
      instances.push(await TestServer.start(driver, { ...shared, issuer: first.issuer }));
    }
  });
  afterAll(async () => {
    for (const instance of instances.reverse()) await instance.close();
  });

  const instance = (index: number) => instances[index % instances.length] as TestServer;

  it("one budget per user, spent round-robin: the next call is 429 with Retry-After on every instance", async () => {
    const token = await instance(0).tokenFor(newUserId());
    const statuses: number[] = [];
    for (let index = 0; index < MAX; index += 1) {
      statuses.push((await instance(index).request("GET", "/api/v1/tasks", { token })).status);
    }
    expect(statuses).toEqual(Array<number>(MAX).fill(200));
    for (let index = 0; index < 3; index += 1) {
      const limited = await instance(index).request("GET", "/api/v1/tasks", { token });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.body).toEqual({ detail: expect.stringMatching(/Too many requests/) });
    }
    // tRPC shares the budget too.
    const trpc = await instance(1).request("GET", "/trpc/tasks.list?input=%7B%7D", { token });
    expect(trpc.status).toBe(429);
  });

  it("concurrent calls spread over the instances: exactly the budget gets through", async () => {
    const token = await instance(0).tokenFor(newUserId());
    const replies = await Promise.all(
      Array.from({ length: 4 * MAX }, (_, index) =>
        instance(index).request("GET", "/api/v1/tasks", { token }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(MAX);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3 * MAX);
  });

  it("another user's budget is untouched by the first user's exhaustion", async () => {
    const spent = await instance(0).tokenFor(newUserId());
    for (let index = 0; index <= MAX; index += 1) {
      await instance(index).request("GET", "/api/v1/tasks", { token: spent });
    }
    const other = await instance(0).tokenFor(newUserId());
    for (let index = 0; index < 3; index += 1) {
      expect((await instance(index).request("GET", "/api/v1/tasks", { token: other })).status).toBe(
        200,
      );
    }
  });
});

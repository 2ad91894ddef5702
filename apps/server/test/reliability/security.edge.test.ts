import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer, type Reply } from "../support/server.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
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

describe(`security headers on every kind of response (${driver})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver, { env: { BODY_LIMIT_BYTES: "1024" } });
  });
  afterAll(() => server.close());

  function expectHardened(reply: Reply, label: string): void {
    expect(reply.headers.get("x-content-type-options"), label).toBe("nosniff");
    expect(reply.headers.get("x-frame-options"), label).toBe("SAMEORIGIN");
    expect(reply.headers.get("strict-transport-security"), label).toMatch(/max-age=\d+/);
    expect(reply.headers.get("content-security-policy"), label).toMatch(/default-src 'self'/);
    expect(reply.headers.get("referrer-policy"), label).toBe("no-referrer");
    expect(reply.headers.get("cross-origin-resource-policy"), label).toBe("same-origin");
    expect(reply.headers.get("x-powered-by"), label).toBeNull();
    expect(reply.headers.get("x-request-id"), label).toBeTruthy();
  }

  it("on successes, refusals and errors of both surfaces and the probes", async () => {
    const token = await server.tokenFor(newUserId());
    const created = await server.request("POST", "/api/v1/tasks", { token, body: { title: "h" } });
    const id = (created.body as { id: string }).id;
    const stranger = await server.tokenFor(newUserId());
    const json = { "content-type": "application/json" };
    const replies: [string, Reply][] = [
      ["201", created],
      ["200 list", await server.request("GET", "/api/v1/tasks", { token })],
      ["404 task", await server.request("DELETE", `/api/v1/tasks/${randomUUID()}`, { token })],
      [
        "400",
        await server.request("POST", "/api/v1/tasks", { token, rawBody: "{", headers: json }),
      ],
      ["401", await server.request("GET", "/api/v1/tasks")],
      ["403", await server.request("GET", `/api/v1/tasks/${id}`, { token: stranger })],
      ["404", await server.request("GET", "/nowhere")],
      [
        "413",
        await server.request("POST", "/api/v1/tasks", { token, body: { title: "x".repeat(2000) } }),
      ],
      [
        "415",
        await server.request("POST", "/api/v1/tasks", {
          token,
          rawBody: "t",
          headers: { "content-type": "text/plain" },
        }),
      ],
      ["422", await server.request("GET", "/api/v1/tasks/nope", { token })],
      ["tRPC 200", await server.request("GET", "/trpc/tasks.list?input=%7B%7D", { token })],
      ["tRPC 401", await server.request("GET", "/trpc/tasks.list?input=%7B%7D")],
      ["health", await server.request("GET", "/health")],
      ["ready", await server.request("GET", "/ready")],
      ["openapi", await server.request("GET", "/api/v1/openapi.json")],
    ];
    for (const [label, reply] of replies) expectHardened(reply, label);
    const deleted = await server.request("DELETE", `/api/v1/tasks/${id}`, { token });
    expect(deleted.status).toBe(204);
    expectHardened(deleted, "204");
  });
});

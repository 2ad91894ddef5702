import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

const [driver = "pglite"] = testDrivers();
const FRONTEND = "https://app.example.com";

describe("the edge", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver, {
      env: { CORS_ORIGINS: `${FRONTEND},http://localhost:3000` },
    });
  });
  afterAll(() => server.close());

  it("answers a CORS preflight from an allowed origin", async () => {
    const reply = await server.request("OPTIONS", "/api/v1/tasks", {
      headers: {
        origin: FRONTEND,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get("access-control-allow-origin")).toBe(FRONTEND);
    expect(reply.headers.get("access-control-allow-credentials")).toBe("true");
    expect(reply.headers.get("access-control-allow-methods")).toBe("GET, POST, PUT, PATCH, DELETE");
    expect(reply.headers.get("access-control-allow-headers")).toBe(
      "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, Last-Event-ID",
    );
  });

  it("answers an OPTIONS request without Origin with an empty 204 that grants nothing", async () => {
    const reply = await server.request("OPTIONS", "/api/v1/tasks");
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    expect(reply.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("exposes Location, Retry-After, ETag, the request id and the rate-limit headers", async () => {
    const token = await server.tokenFor(newUserId());
    const reply = await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "cors" },
      headers: { origin: FRONTEND },
    });
    expect(reply.headers.get("access-control-allow-origin")).toBe(FRONTEND);
    expect(reply.headers.get("access-control-expose-headers")).toBe(
      "Location, Retry-After, ETag, Idempotent-Replayed, x-request-id, " +
        "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset",
    );
  });

  it("grants nothing to a disallowed origin", async () => {
    const preflight = await server.request("OPTIONS", "/api/v1/tasks", {
      headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
    });
    // Without Access-Control-Allow-Origin the browser refuses the call, whatever else is sent.
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const simple = await server.request("GET", "/health", {
      headers: { origin: "https://evil.example" },
    });
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sets security headers on API responses and errors", async () => {
    for (const path of ["/health", "/api/v1/tasks", "/no-such-route"]) {
      const reply = await server.request("GET", path);
      expect(reply.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(reply.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(reply.headers.get("strict-transport-security"), path).toMatch(/max-age=/);
      expect(reply.headers.get("content-security-policy"), path).toMatch(/default-src 'self'/);
      expect(reply.headers.get("x-powered-by"), path).toBeNull();
    }
  });

  it("echoes a sane x-request-id, replaces an unsafe one, and logs it on the request's lines", async () => {
    const echoed = await server.request("GET", "/api/v1/tasks", {
      headers: { "x-request-id": "client-trace-1" },
    });
    expect(echoed.headers.get("x-request-id")).toBe("client-trace-1");

    const unsafe = await server.request("GET", "/health", {
      headers: { "x-request-id": "bad id\twith spaces" },
    });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await server.request("GET", "/no-such-route");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    // One line per request, carrying the request, its status and its duration.
    const lines = server.logs.withRequestId("client-trace-1");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: "request completed",
      req: { method: "GET", url: "/api/v1/tasks" },
      res: { statusCode: 401 },
      responseTime: expect.any(Number),
    });
  });

  it("never logs the bearer token", async () => {
    const token = await server.tokenFor(newUserId());
    await server.request("GET", "/api/v1/tasks", {
      token,
      headers: { "x-request-id": "token-log-check" },
    });
    expect(server.logs.withRequestId("token-log-check").length).toBeGreaterThan(0);
    expect(server.logs.text).not.toContain(token);
  });

  it("answers /health and /ready", async () => {
    expect(await server.request("GET", "/health")).toMatchObject({
      status: 200,
      body: { status: "ok" },
    });
    expect(await server.request("GET", "/ready")).toMatchObject({
      status: 200,
      body: { status: "ready" },
    });
  });

  it("serves the docs page", async () => {
    const page = await server.request("GET", "/docs/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain("/api/v1/openapi.json");
    const script = await server.request("GET", "/docs/js/scalar.js");
    expect(script.status).toBe(200);
  });
});

describe("rate limits", () => {
  const MAX = 3;
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver, {
      env: { RATE_LIMIT_MAX: String(MAX), RATE_LIMIT_WINDOW_MS: "60000" },
    });
  });
  afterAll(() => server.close());

  it("gives each user a budget of their own, and answers 429 with Retry-After", async () => {
    const alice = await server.tokenFor(newUserId());
    const bob = await server.tokenFor(newUserId());
    for (let i = 0; i < MAX; i += 1) {
      expect((await server.request("GET", "/api/v1/tasks", { token: alice })).status).toBe(200);
    }
    const limited = await server.request("GET", "/api/v1/tasks", { token: alice });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((limited.body as { detail: string }).detail).toMatch(/Too many requests/);

    expect((await server.request("GET", "/api/v1/tasks", { token: bob })).status).toBe(200);
  });

  it("counts requests without a valid token per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= MAX; i += 1) {
      statuses.push((await server.request("GET", "/api/v1/tasks")).status);
    }
    expect(statuses).toEqual([...Array<number>(MAX).fill(401), 429]);
    const token = await server.tokenFor(newUserId());
    expect((await server.request("GET", "/api/v1/tasks", { token })).status).toBe(200);
  });

  it("limits /trpc too, with a tRPC-shaped error", async () => {
    const token = await server.tokenFor(newUserId());
    let last = await server.request("GET", "/trpc/tasks.list?input=%7B%7D", { token });
    for (let i = 0; i < MAX; i += 1)
      last = await server.request("GET", "/trpc/tasks.list?input=%7B%7D", { token });
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({
      error: { data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 } },
    });
  });

  it("does not limit the health probes", async () => {
    for (let i = 0; i <= MAX * 2; i += 1) {
      expect((await server.request("GET", "/health")).status).toBe(200);
    }
  });
});

import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer, type Reply } from "../support/server.ts";

const [driver = "pglite"] = testDrivers();

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

import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

interface TrpcError {
  error: { message: string; data: { code: string; httpStatus: number; path: string } };
}

function batchOf(count: number, procedure = "tasks.list"): string {
  const paths = Array.from({ length: count }, () => procedure).join(",");
  const input = Object.fromEntries(Array.from({ length: count }, (_, index) => [index, {}]));
  return `/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
}

describe.each(testDrivers())("tRPC batches and authentication order (%s)", (driver) => {
  const RATE_LIMIT = 30;
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver, {
      env: {
        RATE_LIMIT_MAX: String(RATE_LIMIT),
        TRPC_MAX_BATCH_SIZE: "20",
        BODY_LIMIT_BYTES: "4096",
      },
    });
  });
  afterAll(() => server.close());

  it("answers a batch of TRPC_MAX_BATCH_SIZE calls and refuses one more with 413, one error per call", async () => {
    const token = await server.tokenFor(newUserId());
    const full = await server.request("GET", batchOf(20), { token });
    expect(full.status).toBe(200);
    expect(full.body).toHaveLength(20);

    const over = await server.request("GET", batchOf(21), { token });
    expect(over.status).toBe(413);
    const errors = over.body as TrpcError[];
    expect(errors).toHaveLength(21);
    expect(errors[0]?.error.message).toBe(
      "A tRPC batch holds at most 20 calls; this one holds 21.",
    );
    expect(errors[0]?.error.data).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      httpStatus: 413,
      path: "tasks.list",
    });
    expect(over.headers.get("x-request-id")).toBeTruthy();
  });

  it("charges every call of a batch against the caller's rate limit", async () => {
    const token = await server.tokenFor(newUserId());
    // 20 + 10 calls use the budget of 30 exactly; the next call is over it.
    expect((await server.request("GET", batchOf(20), { token })).status).toBe(200);
    const tenMore = await server.request("GET", batchOf(10), { token });
    expect(tenMore.status).toBe(200);
    expect(tenMore.headers.get("x-ratelimit-remaining")).toBe("0");
    const over = await server.request("GET", batchOf(1), { token });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another user's budget is untouched.
    const other = await server.tokenFor(newUserId());
    expect((await server.request("GET", batchOf(5), { token: other })).status).toBe(200);
  });

  it("authenticates before it reads the body: 401 for any body without a valid token", async () => {
    const cases = [
      { rawBody: "title=x", headers: { "content-type": "text/plain" } },
      {
        rawBody: JSON.stringify({ title: "x".repeat(70_000) }),
        headers: { "content-type": "application/json" },
      },
      { rawBody: "{nope", headers: { "content-type": "application/json" } },
    ];
    for (const request of cases) {
      for (const token of [undefined, "not-a-jwt"]) {
        const reply = await server.request("POST", "/trpc/tasks.create", { ...request, token });
        expect(reply.status).toBe(401);
        expect((reply.body as TrpcError).error.data.code).toBe("UNAUTHORIZED");
        expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
    }
    const batch = await server.request("GET", batchOf(25));
    expect(batch.status).toBe(401);
  });

  it("keeps Vary: Origin and Cache-Control: no-store on every tRPC answer", async () => {
    const token = await server.tokenFor(newUserId());
    const answers = [
      await server.request("GET", batchOf(1), {
        token,
        headers: { origin: "http://localhost:3000" },
      }),
      await server.request("GET", batchOf(1), { headers: { origin: "http://localhost:3000" } }),
      // tRPC's own handler (a streamed batch).
      await server.request("GET", batchOf(1), {
        token,
        headers: { origin: "http://localhost:3000", "trpc-accept": "application/jsonl" },
      }),
    ];
    for (const reply of answers) {
      const vary = (reply.headers.get("vary") ?? "")
        .split(",")
        .map((name) => name.trim().toLowerCase());
      expect(vary).toEqual(expect.arrayContaining(["origin", "trpc-accept", "accept"]));
      expect(reply.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
      expect(reply.headers.get("cache-control")).toBe("no-store");
    }
  });
});

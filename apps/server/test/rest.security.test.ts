import { randomUUID } from "node:crypto";
import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

describe.each(testDrivers())("REST authentication (%s)", (driver) => {
  let server: TestServer;
  let stranger: TestIssuer;

  beforeAll(async () => {
    server = await TestServer.start(driver, { env: { BODY_LIMIT_BYTES: "1024" } });
    stranger = await startTestIssuer({
      issuer: server.issuer.issuer,
      audience: server.issuer.audience,
    });
  });
  afterAll(async () => {
    await stranger.close();
    await server.close();
  });

  async function badAuthorizations(): Promise<[string, string | undefined, string][]> {
    const sub = newUserId();
    const sign = server.issuer.sign.bind(server.issuer);
    return [
      ["missing", undefined, "Bearer"],
      ["not bearer", "Basic dXNlcjpwYXNz", 'Bearer error="invalid_token"'],
      ["not a JWT", "Bearer not.a.jwt", 'Bearer error="invalid_token"'],
      [
        "expired",
        `Bearer ${await sign({ sub }, { expiresIn: "-5m" })}`,
        'Bearer error="invalid_token"',
      ],
      [
        "not yet valid",
        `Bearer ${await sign({ sub }, { notBefore: "10m" })}`,
        'Bearer error="invalid_token"',
      ],
      [
        "wrong issuer",
        `Bearer ${await sign({ sub }, { issuer: "https://evil.example" })}`,
        'Bearer error="invalid_token"',
      ],
      [
        "wrong audience",
        `Bearer ${await sign({ sub }, { audience: "https://other.example" })}`,
        'Bearer error="invalid_token"',
      ],
      [
        "another issuer's key",
        `Bearer ${await stranger.sign({ sub })}`,
        'Bearer error="invalid_token"',
      ],
      ["no subject", `Bearer ${await sign({ sub: "" })}`, 'Bearer error="invalid_token"'],
      ["alg none", `Bearer ${unsignedToken(sub)}`, 'Bearer error="invalid_token"'],
    ];
  }

  it("401 with WWW-Authenticate and a reason for every kind of bad token", async () => {
    const details = new Set<string>();
    for (const [kind, authorization, challenge] of await badAuthorizations()) {
      const headers = authorization ? { authorization } : undefined;
      const reply = await server.request("GET", "/api/v1/tasks", { headers });
      expect(reply.status, kind).toBe(401);
      expect(reply.headers.get("www-authenticate"), kind).toBe(challenge);
      const detail = (reply.body as { detail: string }).detail;
      expect(detail, kind).toEqual(expect.any(String));
      if (authorization) expect(detail).not.toContain(authorization.slice(7));
      details.add(detail);
    }
    expect(details.size).toBeGreaterThanOrEqual(8);
  });

  it("401 comes before a malformed id, a bad body, an oversized body or a wrong content type", async () => {
    const cases: [string, string, { rawBody?: string; headers?: Record<string, string> }][] = [
      ["GET", "/api/v1/tasks/not-a-uuid", {}],
      [
        "POST",
        "/api/v1/tasks",
        { rawBody: '{"title": ', headers: { "content-type": "application/json" } },
      ],
      [
        "POST",
        "/api/v1/tasks",
        { rawBody: JSON.stringify({ title: "" }), headers: { "content-type": "application/json" } },
      ],
      [
        "POST",
        "/api/v1/tasks",
        { rawBody: "x".repeat(10_000), headers: { "content-type": "application/json" } },
      ],
      [
        "PUT",
        `/api/v1/tasks/${randomUUID()}`,
        { rawBody: "title=x", headers: { "content-type": "text/plain" } },
      ],
      ["GET", "/api/v1/tasks?limit=1000", {}],
    ];
    for (const [method, url, options] of cases) {
      const reply = await server.request(method, url, options);
      expect(reply.status, `${method} ${url}`).toBe(401);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("503 with Retry-After when the token issuer cannot be reached", async () => {
    const issuer = await startTestIssuer();
    const other = await TestServer.start(driver, { issuer });
    try {
      const token = await issuer.sign({ sub: newUserId() });
      await issuer.stop();
      const reply = await other.request("GET", "/api/v1/tasks", { token });
      expect(reply.status).toBe(503);
      expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((reply.body as { detail: string }).detail).toMatch(/issuer/i);
    } finally {
      await other.close();
      await issuer.close();
    }
  });
});

/** A token with `alg: none` and no signature, as an attacker would send it. */
function unsignedToken(sub: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub, iat: now, exp: now + 600 })}.`;
}

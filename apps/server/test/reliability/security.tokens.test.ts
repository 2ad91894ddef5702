import { randomUUID } from "node:crypto";
import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "../support/server.ts";
import { garbledPayloadToken, hmacToken, unsignedToken } from "./support/tokens.ts";

const [driver = "pglite"] = testDrivers();

interface BadToken {
  /** The failure reason of packages/auth this case provokes. */
  reason: string;
  authorization: string | undefined;
  /** What the detail must say, so the client learns which problem it has. */
  detail: RegExp;
}

/** Swaps the signature of one valid token onto another's header and payload. */
function withForeignSignature(token: string, other: string): string {
  const [header, payload] = token.split(".");
  return `${header}.${payload}.${other.split(".")[2]}`;
}

describe(`the bad-token matrix over HTTP, REST and tRPC (${driver})`, () => {
  let server: TestServer;
  let stranger: TestIssuer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    stranger = await startTestIssuer({
      issuer: server.issuer.issuer,
      audience: server.issuer.audience,
    });
  });
  afterAll(async () => {
    await stranger.close();
    await server.close();
  });

  async function matrix(): Promise<BadToken[]> {
    const sub = newUserId();
    const sign = server.issuer.sign.bind(server.issuer);
    const { issuer, audience } = server.issuer;
    const valid = await sign({ sub });
    const bearer = (token: string) => `Bearer ${token}`;
    return [
      { reason: "missing", authorization: undefined, detail: /Authorization: Bearer/ },
      { reason: "missing (blank)", authorization: "   ", detail: /Authorization: Bearer/ },
      { reason: "malformed scheme", authorization: `Basic ${valid}`, detail: /Bearer scheme/ },
      { reason: "malformed shape", authorization: `Bearer ${valid} extra`, detail: /exactly/ },
      { reason: "malformed JWT", authorization: bearer("a.b"), detail: /not a JWT/ },
      { reason: "malformed header", authorization: bearer("!!!.e30.x"), detail: /header/ },
      {
        reason: "malformed payload",
        authorization: bearer(garbledPayloadToken("EdDSA")),
        detail: /malformed|signature|key/,
      },
      {
        reason: "malformed (too large)",
        authorization: bearer(`${valid}${"A".repeat(8000)}`),
        detail: /too large|malformed|signature/,
      },
      {
        reason: "expired",
        authorization: bearer(await sign({ sub }, { expiresIn: "-5m" })),
        detail: /expired/,
      },
      {
        reason: "not_yet_valid",
        authorization: bearer(await sign({ sub }, { notBefore: "10m" })),
        detail: /not valid yet/,
      },
      {
        reason: "bad_signature",
        authorization: bearer(withForeignSignature(valid, await sign({ sub: "other" }))),
        detail: /signature/,
      },
      {
        reason: "unknown_key",
        authorization: bearer(await stranger.sign({ sub })),
        detail: /key the issuer does not publish/,
      },
      {
        reason: "wrong_issuer",
        authorization: bearer(await sign({ sub }, { issuer: "https://evil.example" })),
        detail: /issuer/,
      },
      {
        reason: "wrong_audience",
        authorization: bearer(await sign({ sub }, { audience: "https://other.example" })),
        detail: /audience/,
      },
      {
        reason: "disallowed_algorithm (none)",
        authorization: bearer(unsignedToken(sub)),
        detail: /algorithm/,
      },
      {
        reason: "disallowed_algorithm (HS256 against public keys)",
        authorization: bearer(
          await hmacToken(sub, "a-guessed-secret-of-at-least-32-chars", issuer, audience),
        ),
        detail: /algorithm/,
      },
      { reason: "no_subject", authorization: bearer(await sign({ sub: "" })), detail: /subject/ },
    ];
  }

  it("REST: 401, WWW-Authenticate, a detail naming the reason and never the token", async () => {
    for (const { reason, authorization, detail } of await matrix()) {
      const headers = authorization === undefined ? undefined : { authorization };
      for (const [method, path] of [
        ["GET", "/api/v1/tasks"],
        ["DELETE", `/api/v1/tasks/${randomUUID()}`],
      ] as const) {
        const reply = await server.request(method, path, { headers });
        expect(reply.status, reason).toBe(401);
        expect(reply.headers.get("www-authenticate"), reason).toBe(
          reason.startsWith("missing") ? "Bearer" : 'Bearer error="invalid_token"',
        );
        expect(reply.body, reason).toEqual({ detail: expect.stringMatching(detail) });
        const token = authorization?.split(/\s+/)[1];
        if (token) expect(reply.text, reason).not.toContain(token);
      }
    }
  });

  it("tRPC: UNAUTHORIZED with the same reason and WWW-Authenticate", async () => {
    for (const { reason, authorization, detail } of await matrix()) {
      const headers = authorization === undefined ? undefined : { authorization };
      const reply = await server.request("GET", "/trpc/tasks.list?input=%7B%7D", { headers });
      expect(reply.status, reason).toBe(401);
      expect(reply.headers.get("www-authenticate"), reason).toMatch(/^Bearer/);
      expect(reply.body, reason).toMatchObject({
        error: { message: expect.stringMatching(detail), data: { code: "UNAUTHORIZED" } },
      });
    }
  });

  it("issuer_unavailable: 503 with Retry-After, on both surfaces", async () => {
    const issuer = await startTestIssuer();
    const other = await TestServer.start(driver, { issuer });
    try {
      const token = await issuer.sign({ sub: newUserId() });
      await issuer.stop();
      for (const path of ["/api/v1/tasks", "/trpc/tasks.list?input=%7B%7D"]) {
        const reply = await other.request("GET", path, { token });
        expect(reply.status, path).toBe(503);
        expect(reply.headers.get("retry-after"), path).toMatch(/^\d+$/);
        expect(reply.text, path).toMatch(/issuer cannot be reached/);
      }
    } finally {
      await other.close();
      await issuer.close();
    }
  });
});

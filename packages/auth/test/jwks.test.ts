import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthError,
  createTokenVerifier,
  type AuthFailureReason,
  type TokenVerifier,
} from "../src/index.ts";
import { startTestIssuer, verifierOptionsFor, type TestIssuer } from "../src/testing.ts";

const issuers: TestIssuer[] = [];
afterEach(async () => {
  await Promise.all(issuers.splice(0).map((issuer) => issuer.close()));
});

async function issuerFor(algorithm: TestIssuer["algorithm"] = "EdDSA"): Promise<TestIssuer> {
  const issuer = await startTestIssuer({ algorithm });
  issuers.push(issuer);
  return issuer;
}

async function reasonOf(
  verifier: TokenVerifier,
  token: string,
): Promise<AuthFailureReason | "accepted"> {
  try {
    await verifier.verify(token);
    return "accepted";
  } catch (error) {
    if (error instanceof AuthError) return error.reason;
    throw error;
  }
}

describe.each(["EdDSA", "ES256", "RS256", "PS256"] as const)(
  "a %s JWKS served over HTTP",
  (algorithm) => {
    it("verifies a token and returns its user", async () => {
      const issuer = await issuerFor(algorithm);
      const verifier = await createTokenVerifier(verifierOptionsFor(issuer));
      const token = await issuer.sign({ sub: "u-42", email: "u42@example.com" });
      await expect(verifier.verify(token)).resolves.toEqual({
        id: "u-42",
        expiresAt: expect.any(Number),
        email: "u42@example.com",
      });
      expect(issuer.jwksRequests).toBe(1);
    });
  },
);

describe("JWKS key selection", () => {
  it("refuses a kid the JWKS does not hold", async () => {
    const issuer = await issuerFor();
    const verifier = await createTokenVerifier(verifierOptionsFor(issuer));
    const token = await issuer.sign({ sub: "u" }, { header: { kid: "never-published" } });
    expect(await reasonOf(verifier, token)).toBe("unknown_key");
  });

  it("refuses a token from the wrong issuer or for the wrong audience", async () => {
    const issuer = await issuerFor();
    const verifier = await createTokenVerifier(verifierOptionsFor(issuer));
    expect(
      await reasonOf(verifier, await issuer.sign({ sub: "u" }, { issuer: "https://evil.test" })),
    ).toBe("wrong_issuer");
    expect(await reasonOf(verifier, await issuer.sign({ sub: "u" }, { audience: null }))).toBe(
      "wrong_audience",
    );
  });
});

describe("key rotation", () => {
  it("accepts both keys while both are published and drops the old one once removed", async () => {
    const issuer = await issuerFor();
    const verifier = await createTokenVerifier(
      verifierOptionsFor(issuer, {
        jwks: { cacheMaxAgeMs: 200, cooldownMs: 0 },
        verifiedTokenCache: false,
      }),
    );
    const oldToken = await issuer.sign({ sub: "u" });
    expect(await reasonOf(verifier, oldToken)).toBe("accepted");

    await issuer.rotate();
    const newToken = await issuer.sign({ sub: "u" });
    expect(await reasonOf(verifier, newToken)).toBe("accepted");
    expect(await reasonOf(verifier, oldToken)).toBe("accepted");

    issuer.removeOldKeys();
    await sleep(250);
    expect(await reasonOf(verifier, oldToken)).toBe("unknown_key");
    expect(await reasonOf(verifier, newToken)).toBe("accepted");
  });

  it("keeps accepting a cached token of a removed key until the cache TTL ends", async () => {
    const issuer = await issuerFor();
    const verifier = await createTokenVerifier(
      verifierOptionsFor(issuer, {
        jwks: { cacheMaxAgeMs: 100, cooldownMs: 0 },
        verifiedTokenCache: { ttlSeconds: 1 },
      }),
    );
    const oldToken = await issuer.sign({ sub: "u" });
    expect(await reasonOf(verifier, oldToken)).toBe("accepted");
    await issuer.rotate();
    issuer.removeOldKeys();
    await sleep(150);
    expect(await reasonOf(verifier, oldToken)).toBe("accepted");
    await sleep(1000);
    expect(await reasonOf(verifier, oldToken)).toBe("unknown_key");
  });
});

describe("unknown-kid cooldown", () => {
  it("fetches the JWKS at most once per cooldown during a flood of unknown kids", async () => {
    const issuer = await issuerFor();
    const verifier = await createTokenVerifier(
      verifierOptionsFor(issuer, { jwks: { cooldownMs: 300 } }),
    );
    expect(await reasonOf(verifier, await issuer.sign({ sub: "u" }))).toBe("accepted");
    const flood = async () => {
      const tokens = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          issuer.sign({ sub: "u" }, { header: { kid: `bogus-${i}` } }),
        ),
      );
      return Promise.all(tokens.map((token) => reasonOf(verifier, token)));
    };

    expect(new Set(await flood())).toEqual(new Set(["unknown_key"]));
    expect(issuer.jwksRequests).toBe(1);

    await sleep(350);
    expect(new Set(await flood())).toEqual(new Set(["unknown_key"]));
    expect(issuer.jwksRequests).toBe(2);
  });
});

describe("issuer outage", () => {
  it("reports issuer_unavailable while the JWKS cannot be fetched and recovers afterwards", async () => {
    const issuer = await issuerFor();
    const token = await issuer.sign({ sub: "u" });
    await issuer.stop();
    const verifier = await createTokenVerifier(
      verifierOptionsFor(issuer, {
        jwks: { unavailableBackoffMs: 100 },
        verifiedTokenCache: false,
      }),
    );
    expect(await reasonOf(verifier, token)).toBe("issuer_unavailable");

    await issuer.restart();
    expect(await reasonOf(verifier, token)).toBe("issuer_unavailable");
    expect(issuer.jwksRequests).toBe(0);
    await sleep(150);
    expect(await reasonOf(verifier, token)).toBe("accepted");
  });

  it("keeps verifying with cached keys while the issuer is down", async () => {
    const issuer = await issuerFor();
    const verifier = await createTokenVerifier(
      verifierOptionsFor(issuer, { verifiedTokenCache: false }),
    );
    expect(await reasonOf(verifier, await issuer.sign({ sub: "u" }))).toBe("accepted");
    const laterToken = await issuer.sign({ sub: "u", name: "later" });
    await issuer.stop();
    expect(await reasonOf(verifier, laterToken)).toBe("accepted");
  });
});

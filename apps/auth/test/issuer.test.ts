import { createTokenVerifier, type VerifierOptions } from "@tasks/auth";
import { afterAll, describe, expect, it } from "vitest";
import { startIssuer, type RunningIssuer } from "../src/issuer.ts";
import { signUpAndGetToken } from "./http.ts";

const issuers: RunningIssuer[] = [];
afterAll(async () => {
  await Promise.all(issuers.map((issuer) => issuer.close()));
});

async function start(jwtAlgorithm?: "EdDSA" | "ES256" | "RS256" | "PS256"): Promise<RunningIssuer> {
  const issuer = await startIssuer({
    port: 0,
    secret: "issuer-test-secret-issuer-test-secret",
    pgliteDir: "memory://",
    ...(jwtAlgorithm ? { jwtAlgorithm } : {}),
  });
  issuers.push(issuer);
  return issuer;
}

function headerOf(token: string): { alg?: string } {
  return JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as {
    alg?: string;
  };
}

function optionsFor(
  issuer: RunningIssuer,
  overrides: Partial<VerifierOptions> = {},
): VerifierOptions {
  return {
    jwksUrl: issuer.jwksUrl,
    issuer: [issuer.baseURL],
    audience: [issuer.baseURL],
    ...overrides,
  };
}

describe.each([
  ["EdDSA (default)", undefined, "EdDSA"],
  ["ES256", "ES256", "ES256"],
] as const)("a real Better Auth issuer signing with %s", (_name, jwtAlgorithm, expectedAlg) => {
  it("issues tokens that @tasks/auth verifies against its JWKS", { timeout: 120_000 }, async () => {
    const issuer = await start(jwtAlgorithm);
    const { user, token } = await signUpAndGetToken(issuer.baseURL, "alice@example.com");
    expect(headerOf(token).alg).toBe(expectedAlg);

    const verifier = await createTokenVerifier(optionsFor(issuer));
    await expect(verifier.verify(token)).resolves.toEqual({
      id: user.id,
      expiresAt: expect.any(Number),
      email: "alice@example.com",
      name: "Alice",
    });

    const otherAudience = await createTokenVerifier(
      optionsFor(issuer, { audience: ["https://other.example"] }),
    );
    const refused = await otherAudience.authenticate(`Bearer ${token}`);
    expect(refused.ok ? "accepted" : refused.error.reason).toBe("wrong_audience");
  });
});

import { exportPKCS8, importPKCS8 } from "jose";
import { describe, expect, it } from "vitest";
import {
  AuthError,
  createTokenVerifier,
  type AuthFailureReason,
  type VerifierOptions,
} from "../src/index.ts";
import { audience, base64url, issuer, signToken, testKeyPair } from "./signing.ts";

const secret = "an-hs256-secret-that-is-long-enough-0123456789";
const secretBytes = new TextEncoder().encode(secret);
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

async function rejection(promise: Promise<unknown>): Promise<AuthFailureReason> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).reason;
}

describe.each(["EdDSA", "ES256", "RS256", "PS256"] as const)("a %s public key", (alg) => {
  it.each(["PEM", "JWK"] as const)(
    "given as %s accepts a good token with its user",
    async (form) => {
      const key = await testKeyPair(alg);
      const verifier = await createTokenVerifier({
        publicKey: form === "PEM" ? key.publicPem : key.publicJwkJson,
        issuer: [issuer],
        audience: [audience],
      });
      const token = await signToken(key.privateKey, alg);
      await expect(verifier.verify(token)).resolves.toEqual({
        id: "user-1",
        expiresAt: expect.any(Number),
        email: "a@example.com",
        name: "Ann",
      });
    },
  );
});

describe("an HS256 secret", () => {
  it("accepts a token signed with the secret", async () => {
    const verifier = await createTokenVerifier({ secret });
    await expect(
      verifier.verify(await signToken(secretBytes, "HS256", { email: undefined })),
    ).resolves.toEqual({
      id: "user-1",
      expiresAt: expect.any(Number),
      name: "Ann",
    });
  });

  it("refuses asymmetric tokens when it is the only key source", async () => {
    const key = await testKeyPair("EdDSA");
    const verifier = await createTokenVerifier({ secret });
    expect(await rejection(verifier.verify(await signToken(key.privateKey, "EdDSA")))).toBe(
      "disallowed_algorithm",
    );
  });

  it("checks HS256 tokens against the secret even when a public key is configured too", async () => {
    const key = await testKeyPair("RS256");
    const verifier = await createTokenVerifier({ secret, publicKey: key.publicPem });
    const forged = await signToken(new TextEncoder().encode(key.publicPem), "HS256");
    expect(await rejection(verifier.verify(forged))).toBe("bad_signature");
  });
});

describe("refusals with an EdDSA key", async () => {
  const key = await testKeyPair("EdDSA");
  const other = await testKeyPair("EdDSA");
  const es256 = await testKeyPair("ES256");
  const options: VerifierOptions = {
    publicKey: key.publicPem,
    issuer: [issuer],
    audience: [audience],
    verifiedTokenCache: false,
  };
  const verifier = await createTokenVerifier(options);
  const sign = (claims = {}, header = {}) => signToken(key.privateKey, "EdDSA", claims, header);
  const goodToken = await sign();
  const [header, payload, signature] = goodToken.split(".") as [string, string, string];

  const cases: [string, () => Promise<string>, AuthFailureReason][] = [
    ["an expired token", () => sign({ exp: inAMinute() - 120 }), "expired"],
    ["a token whose nbf is in the future", () => sign({ nbf: inAMinute() + 60 }), "not_yet_valid"],
    ["a token issued in the future", () => sign({ iat: inAMinute() + 60 }), "not_yet_valid"],
    ["a token from another issuer", () => sign({ iss: "https://evil.test" }), "wrong_issuer"],
    ["a token without an issuer", () => sign({ iss: undefined }), "wrong_issuer"],
    ["a token for another audience", () => sign({ aud: "https://other.test" }), "wrong_audience"],
    ["a token without a subject", () => sign({ sub: undefined }), "no_subject"],
    ["a token with an empty subject", () => sign({ sub: "" }), "no_subject"],
    ["a subject holding U+0000", () => sign({ sub: "x\u0000" }), "malformed"],
    ["a subject with a lone high surrogate", () => sign({ sub: "x\ud800" }), "malformed"],
    ["a subject with a lone low surrogate", () => sign({ sub: "x\udfff" }), "malformed"],
    ["a subject of 256 characters", () => sign({ sub: "s".repeat(256) }), "malformed"],
    ["a subject beginning with U+FEFF", () => sign({ sub: "\ufeffx" }), "malformed"],
    ["a token without exp", () => sign({ exp: undefined }), "malformed"],
    ["a token signed by another key", () => signToken(other.privateKey, "EdDSA"), "bad_signature"],
    [
      "a tampered payload",
      async () => `${header}.${base64url({ sub: "admin", exp: inAMinute() })}.${signature}`,
      "bad_signature",
    ],
    ["alg none", async () => `${base64url({ alg: "none" })}.${payload}.`, "disallowed_algorithm"],
    [
      "HS256 signed with the public key's bytes",
      () => signToken(new TextEncoder().encode(key.publicPem), "HS256"),
      "disallowed_algorithm",
    ],
    [
      "an allowed algorithm the key cannot serve",
      () => signToken(es256.privateKey, "ES256"),
      "unknown_key",
    ],
    [
      "an algorithm outside the allow-list",
      () => signToken(secretBytes, "HS512"),
      "disallowed_algorithm",
    ],
    ["an empty string", async () => "", "malformed"],
    ["garbage", async () => "not a token", "malformed"],
    ["three garbage parts", async () => "a.b.c", "malformed"],
    ["two parts", async () => `${header}.${payload}`, "malformed"],
    [
      "a header that is not JSON",
      async () => `${Buffer.from("{alg").toString("base64url")}.${payload}.${signature}`,
      "malformed",
    ],
    [
      "a header without alg",
      async () => `${base64url({ typ: "JWT" })}.${payload}.${signature}`,
      "malformed",
    ],
    ["a huge token", async () => `${header}.${"A".repeat(9000)}.${signature}`, "malformed"],
    ["a huge kid", () => sign({}, { kid: "k".repeat(300) }), "malformed"],
    [
      "a numeric kid",
      async () => `${base64url({ alg: "EdDSA", kid: 7 })}.${payload}.${signature}`,
      "malformed",
    ],
    ["a signature that is not base64url", async () => `${header}.${payload}.***`, "malformed"],
  ];

  it.each(cases)("refuses %s", async (_name, makeToken, reason) => {
    expect(await rejection(verifier.verify(await makeToken()))).toBe(reason);
  });

  it("accepts an expiry inside the clock tolerance", async () => {
    await expect(verifier.verify(await sign({ exp: inAMinute() - 80 }))).resolves.toMatchObject({
      id: "user-1",
    });
  });

  it("refuses an algorithm removed from the allow-list even with a key for it", async () => {
    const rsa = await testKeyPair("RS256");
    const strict = await createTokenVerifier({ publicKey: rsa.publicPem, algorithms: ["PS256"] });
    expect(await rejection(strict.verify(await signToken(rsa.privateKey, "RS256")))).toBe(
      "disallowed_algorithm",
    );
    const samePairForPss = await importPKCS8(await exportPKCS8(rsa.privateKey), "PS256");
    await expect(strict.verify(await signToken(samePairForPss, "PS256"))).resolves.toMatchObject({
      id: "user-1",
    });
  });

  it("never puts the token in the error message", async () => {
    const expired = await sign({ exp: inAMinute() - 120 });
    const result = await verifier.authenticate(`Bearer ${expired}`);
    const message = result.ok ? "" : result.error.message;
    expect(message).toBe("The token has expired.");
    expect(message).not.toContain(expired.slice(0, 20));
  });
});

describe("authenticate", async () => {
  const verifier = await createTokenVerifier({ secret });
  const token = await signToken(secretBytes, "HS256");

  it.each([
    ["no header", "missing", undefined],
    ["an empty header", "missing", ""],
    ["a blank header", "missing", "   "],
    ["the Basic scheme", "malformed", `Basic ${token}`],
    ["Bearer without a token", "malformed", "Bearer"],
    ["a token followed by more text", "malformed", `Bearer ${token} extra`],
    ["a garbage token", "malformed", "Bearer garbage"],
  ] as const)("reports %s as %s without throwing", async (_name, reason, authorization) => {
    const result = await verifier.authenticate(authorization);
    expect(result.ok ? "ok" : result.error.reason).toBe(reason);
  });

  it.each(["Bearer", "bearer", "BEARER"])("accepts the %s scheme", async (scheme) => {
    await expect(verifier.authenticate(`${scheme}  ${token}`)).resolves.toEqual({
      ok: true,
      user: { id: "user-1", expiresAt: expect.any(Number), email: "a@example.com", name: "Ann" },
    });
  });
});

describe("configuration", () => {
  it("refuses HS256 in the allow-list without a secret", async () => {
    const key = await testKeyPair("EdDSA");
    await expect(
      createTokenVerifier({ publicKey: key.publicPem, algorithms: ["EdDSA", "HS256"] }),
    ).rejects.toThrow(/no shared secret/);
  });

  it("refuses no key source, a private JWK, and a clock tolerance over 60 s", async () => {
    await expect(createTokenVerifier({})).rejects.toThrow(/key source/);
    await expect(
      createTokenVerifier({ publicKey: JSON.stringify({ kty: "oct", k: "c2VjcmV0" }) }),
    ).rejects.toThrow(/public key/);
    await expect(createTokenVerifier({ secret, clockToleranceSeconds: 61 })).rejects.toThrow(
      /clock tolerance/,
    );
  });

  it("accepts a PEM whose line breaks are escaped, as env files carry them", async () => {
    const key = await testKeyPair("ES256");
    const verifier = await createTokenVerifier({ publicKey: key.publicPem.replace(/\n/g, "\\n") });
    await expect(verifier.verify(await signToken(key.privateKey, "ES256"))).resolves.toMatchObject({
      id: "user-1",
    });
  });
});

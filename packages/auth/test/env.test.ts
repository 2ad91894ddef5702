import { describe, expect, it } from "vitest";
import { z } from "zod";
import { authEnvSchema, refineAuthEnv, verifierOptionsFromEnv } from "../src/index.ts";

describe("authEnvSchema", () => {
  it("parses comma lists, defaults and blank values", () => {
    const env = authEnvSchema.parse({
      AUTH_JWKS_URL: "http://127.0.0.1:8001/api/auth/jwks",
      AUTH_JWT_SECRET: "",
      AUTH_ISSUER: "http://127.0.0.1:8001, https://app.example.com",
      AUTH_AUDIENCE: "http://127.0.0.1:8001",
    });
    expect(env).toEqual({
      AUTH_JWKS_URL: "http://127.0.0.1:8001/api/auth/jwks",
      AUTH_ISSUER: ["http://127.0.0.1:8001", "https://app.example.com"],
      AUTH_AUDIENCE: ["http://127.0.0.1:8001"],
      AUTH_CLOCK_TOLERANCE_S: 30,
    });
    expect(verifierOptionsFromEnv(env)).toMatchObject({
      jwksUrl: "http://127.0.0.1:8001/api/auth/jwks",
      algorithms: ["EdDSA", "ES256", "RS256", "PS256"],
      clockToleranceSeconds: 30,
    });
  });

  it("adds HS256 to the default allow-list only with a secret", () => {
    const env = authEnvSchema.parse({ AUTH_JWT_SECRET: "s".repeat(32) });
    expect(verifierOptionsFromEnv(env).algorithms).toEqual([
      "EdDSA",
      "ES256",
      "RS256",
      "PS256",
      "HS256",
    ]);
  });

  it("refuses a clock tolerance over 60 s, unknown algorithms and a short secret", () => {
    const result = authEnvSchema.safeParse({
      AUTH_CLOCK_TOLERANCE_S: "61",
      AUTH_ALGORITHMS: "EdDSA,none",
      AUTH_JWT_SECRET: "short",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual([
      "AUTH_ALGORITHMS",
      "AUTH_CLOCK_TOLERANCE_S",
      "AUTH_JWT_SECRET",
    ]);
  });

  it("reports a missing key source through the refinement and verifierOptionsFromEnv", () => {
    const serverSchema = z
      .object({ PORT: z.coerce.number(), ...authEnvSchema.shape })
      .superRefine(refineAuthEnv);
    const result = serverSchema.safeParse({ PORT: "8000" });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["AUTH_JWKS_URL"],
        message: expect.stringMatching(/AUTH_JWT_SECRET/),
      }),
    ]);
    expect(() => verifierOptionsFromEnv(authEnvSchema.parse({}))).toThrow(
      /AUTH_JWKS_URL, AUTH_PUBLIC_KEY/,
    );
  });

  it("refuses HS256 in AUTH_ALGORITHMS without a secret", () => {
    const env = authEnvSchema.parse({ AUTH_PUBLIC_KEY: "pem", AUTH_ALGORITHMS: "EdDSA,HS256" });
    expect(() => verifierOptionsFromEnv(env)).toThrow(/HS\* algorithm/);
  });
});

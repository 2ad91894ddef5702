import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { freePort, runMain } from "./support/main-process.ts";

const validAuth = { AUTH_JWT_SECRET: "s".repeat(32) };

describe("loadConfig", () => {
  it("applies API.md's defaults", () => {
    const result = loadConfig(validAuth);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      PORT: 8000,
      HOST: "127.0.0.1",
      CORS_ORIGINS: ["http://localhost:3000"],
      RATE_LIMIT_MAX: 300,
      RATE_LIMIT_WINDOW_MS: 60_000,
      BODY_LIMIT_BYTES: 65_536,
      LOG_LEVEL: "info",
      TRUST_PROXY: false,
      TRPC_FAST_PATH: true,
    });
    expect(result.config.REDIS_URL).toBeUndefined();
    expect(result.database.driver).toBe("pglite");
    expect(result.verifier.secret).toBe(validAuth.AUTH_JWT_SECRET);
  });

  it("reads lists, numbers and proxy settings; an empty value means the default", () => {
    const result = loadConfig({
      ...validAuth,
      PORT: "9000",
      CORS_ORIGINS: "https://a.example.com, http://localhost:5173",
      TRUST_PROXY: "10.0.0.0/8,127.0.0.1",
      LOG_LEVEL: "",
    });
    expect(result.ok && result.config).toMatchObject({
      PORT: 9000,
      CORS_ORIGINS: ["https://a.example.com", "http://localhost:5173"],
      TRUST_PROXY: ["10.0.0.0/8", "127.0.0.1"],
      LOG_LEVEL: "info",
    });
    expect(loadConfig({ ...validAuth, TRUST_PROXY: "2" })).toMatchObject({
      config: { TRUST_PROXY: 2 },
    });
    expect(loadConfig({ ...validAuth, TRPC_FAST_PATH: "false" })).toMatchObject({
      config: { TRPC_FAST_PATH: false },
    });
  });

  it("reports every problem at once, one line each", () => {
    const result = loadConfig({
      PORT: "99999",
      CORS_ORIGINS: "https://ok.example.com,app.example.com/path",
      RATE_LIMIT_MAX: "many",
      REDIS_URL: "http://cache:6379",
      LOG_LEVEL: "loud",
      TRUST_PROXY: "sometimes",
      DATABASE_DRIVER: "mysql",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        "PORT: must be an integer between 1 and 65535",
        expect.stringMatching(/^CORS_ORIGINS: "app.example.com\/path" is not an origin/),
        "RATE_LIMIT_MAX: must be an integer between 1 and 1000000",
        "REDIS_URL: must be a redis:// or rediss:// URL",
        expect.stringMatching(/^LOG_LEVEL: must be one of/),
        expect.stringMatching(/^TRUST_PROXY: must be true, false/),
        expect.stringMatching(/^DATABASE_DRIVER: /),
        expect.stringMatching(/AUTH_JWKS_URL, AUTH_PUBLIC_KEY or AUTH_JWT_SECRET/),
      ]),
    );
    expect(result.problems).toHaveLength(8);
    for (const problem of result.problems) expect(problem).not.toContain("\n");
  });

  it("reports problems that span variables", () => {
    const result = loadConfig({
      ...validAuth,
      DATABASE_DRIVER: "pg",
      DB_POOL_MIN: "5",
      DB_POOL_MAX: "2",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/DATABASE_URL is required/),
      expect.stringMatching(/DB_POOL_MIN \(5\) must not exceed DB_POOL_MAX \(2\)/),
    ]);
  });
});

describe("the production bundle with a bad environment", () => {
  it("prints one line per problem to stderr, exits 1 and never listens", async () => {
    const port = await freePort();
    const run = await runMain({
      PORT: String(port),
      LOG_LEVEL: "chatty",
      BODY_LIMIT_BYTES: "0",
      PGLITE_DIR: "memory://",
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      "BODY_LIMIT_BYTES: must be an integer between 1 and 104857600",
      expect.stringMatching(/^LOG_LEVEL: must be one of/),
      expect.stringMatching(/AUTH_JWKS_URL, AUTH_PUBLIC_KEY or AUTH_JWT_SECRET/),
    ]);
    expect(run.stdout).toBe("");
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { startAuth } from "@/auth/server";
import { webEnv } from "@/env";
import { signUp, verifiedServerToken } from "./support/auth-checks.ts";

const baseURL = "http://127.0.0.1:3999";

describe("the web app's Better Auth", () => {
  it("runs on embedded PGlite and mints, on the server, a JWT the API can verify", async () => {
    const env = webEnv({
      BETTER_AUTH_URL: `${baseURL}/`,
      BETTER_AUTH_SECRET: "a-test-secret-a-test-secret-a-test-secret",
      AUTH_PGLITE_DIR: "memory://",
      AUTH_JWT_EXPIRES_IN: "90s",
    });
    const auth = await startAuth(env);
    const cookie = await signUp(auth, baseURL, "server@example.com");
    const payload = await verifiedServerToken(auth, baseURL, cookie);
    expect(payload.email).toBe("server@example.com");
    expect(Number(payload.exp) - Number(payload.iat)).toBe(90);
  });

  it("has no token for a request without a session", async () => {
    const auth = await startAuth(
      webEnv({
        BETTER_AUTH_SECRET: "a-test-secret-a-test-secret-a-test-secret",
        AUTH_PGLITE_DIR: "memory://",
      }),
    );
    const { tokenOf } = await import("@/auth/server");
    expect(await tokenOf(new Headers(), auth)).toBeNull();
    expect(
      await tokenOf(new Headers({ cookie: "better-auth.session_token=forged" }), auth),
    ).toBeNull();
  });

  it("refuses a shared PostgreSQL database without BETTER_AUTH_SECRET", async () => {
    const env = webEnv({ AUTH_DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    await expect(startAuth(env)).rejects.toThrow(
      "BETTER_AUTH_SECRET must be set with AUTH_DATABASE_URL.",
    );
  });

  it("reads its settings with defaults that match pnpm start", () => {
    expect(webEnv({})).toMatchObject({
      apiUrl: "http://127.0.0.1:8000",
      apiInternalUrl: "http://127.0.0.1:8000",
      authUrl: "http://127.0.0.1:3000",
      authSecret: undefined,
      authDatabaseUrl: undefined,
      jwtExpirationTime: "15m",
    });
    expect(webEnv({ API_URL: "https://api.example.com//", API_INTERNAL_URL: " " })).toMatchObject({
      apiUrl: "https://api.example.com",
      apiInternalUrl: "https://api.example.com",
    });
  });
});

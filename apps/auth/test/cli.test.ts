import { createTokenVerifier } from "@tasks/auth";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./http.ts";
import { run, waitForLine } from "./process.ts";
import type { ChildProcess } from "node:child_process";

describe("the issuer process and the token CLI", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  it(
    "prints only a verifiable JWT for a new and then an existing user, and stops on SIGTERM",
    { timeout: 180_000 },
    async () => {
      const port = await freePort();
      const baseURL = `http://127.0.0.1:${port}`;
      const issuer = run("src/main.ts", [], {
        AUTH_ISSUER_PORT: String(port),
        AUTH_PGLITE_DIR: "memory://",
        AUTH_JWT_ALGORITHM: "RS256",
        BETTER_AUTH_URL: "",
        BETTER_AUTH_SECRET: "",
      });
      children.push(issuer.child);
      const line = await waitForLine(issuer.child, /listening at/);
      expect(line).toBe(
        `Better Auth issuer (RS256) listening at ${baseURL}, JWKS at ${baseURL}/api/auth/jwks`,
      );

      const verifier = await createTokenVerifier({
        jwksUrl: `${baseURL}/api/auth/jwks`,
        issuer: [baseURL],
        audience: [baseURL],
      });
      const tokenEnv = { BETTER_AUTH_URL: baseURL };
      const first = await run("src/token.ts", ["alice@example.com"], tokenEnv).done;
      const second = await run("src/token.ts", ["alice@example.com"], tokenEnv).done;
      for (const result of [first, second]) {
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      }
      const firstUser = await verifier.verify(first.stdout.trim());
      expect(firstUser).toMatchObject({ email: "alice@example.com", name: "alice" });
      // The same user; each token has its own expiry.
      expect(await verifier.verify(second.stdout.trim())).toEqual({
        ...firstUser,
        expiresAt: expect.any(Number),
      });

      issuer.child.kill("SIGTERM");
      expect((await issuer.done).code).toBe(0);
    },
  );

  it("exits 1 with one clear line when no issuer is running", { timeout: 60_000 }, async () => {
    const baseURL = `http://127.0.0.1:${await freePort()}`;
    const result = await run("src/token.ts", ["bob@example.com"], { BETTER_AUTH_URL: baseURL })
      .done;
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `No auth issuer answers at ${baseURL}. Start the web app (it hosts Better Auth) with: pnpm start\n`,
    });
  });
});

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createTokenVerifier } from "@tasks/auth";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./http.ts";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(tsx, [script, ...args], { cwd: appDir, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = once(child, "exit").then(([code]) => ({
    code: code as number | null,
    stdout,
    stderr,
  }));
  return { child, done };
}

async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  let seen = "";
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    seen += chunk.toString();
    const line = seen.split("\n").find((candidate) => pattern.test(candidate));
    if (line) return line;
  }
  throw new Error(`the process ended without printing ${pattern}`);
}

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
      expect(await verifier.verify(second.stdout.trim())).toEqual(firstUser);

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
      stderr: `No auth issuer answers at ${baseURL}. Start it with: pnpm --filter @tasks/auth-app dev\n`,
    });
  });
});

import { readFile } from "node:fs/promises";
import type { TestIssuer } from "@tasks/auth/testing";
import { freePort, MainProcess } from "../../support/main-process.ts";
import { eventually } from "./load.ts";

/** The production bundle in a child process, once `/ready` answers; its pid is the server's own (for /proc). */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ main: MainProcess; url: string; pid: number }> {
  const port = await freePort();
  const main = MainProcess.spawn({ ...env, PORT: String(port) });
  const { child } = main;
  const url = `http://127.0.0.1:${port}`;
  // Stops waiting as soon as the process has exited (a start-up failure).
  const up = await eventually(
    async () =>
      child.exitCode !== null ||
      (await fetch(`${url}/ready`).then(
        (response) => response.ok,
        () => false,
      )),
    120_000,
  );
  if (!up || child.exitCode !== null || child.pid === undefined) {
    main.kill("SIGKILL");
    throw new Error(`dist/main.mjs did not become ready.\n${main.stdout}\n${main.stderr}`);
  }
  return { main, url, pid: child.pid };
}

/** What a spawned server needs to trust a test issuer, with no rate limit in the way. */
export function trustingEnv(issuer: TestIssuer): Record<string, string> {
  return {
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    RATE_LIMIT_MAX: "1000000",
  };
}

/** The Node options the production image starts the server with (NODE_OPTIONS in the Dockerfile). */
export async function imageNodeOptions(): Promise<string> {
  const dockerfile = await readFile(new URL("../../../Dockerfile", import.meta.url), "utf8");
  const options = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1];
  if (options === undefined) throw new Error("apps/server/Dockerfile sets no NODE_OPTIONS");
  return options;
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

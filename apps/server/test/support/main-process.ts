import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const serverRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Only what the process needs to run, so the developer's own variables cannot leak in. */
function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
}

/**
 * The production bundle as the Dockerfile runs it: `node dist/main.mjs`, built for
 * this run by the global setup (test/support/build-bundle.ts).
 */
export class MainProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => (this.stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    this.exited = once(child, "exit").then(([code]) => code as number | null);
  }

  static spawn(env: Record<string, string>): MainProcess {
    const child = spawn(process.execPath, ["dist/main.mjs"], {
      cwd: serverRoot,
      env: processEnv(env),
      stdio: "pipe",
    });
    return new MainProcess(child);
  }

  /** The JSON log lines printed so far. */
  get logLines(): Record<string, unknown>[] {
    return this.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Resolves with the server's URL once it logs that it listens. */
  async listening(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.logLines.find((entry) => typeof entry.url === "string");
      if (line) return line.url as string;
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `dist/main.mjs did not start listening.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
    );
  }

  /** Resolves once a log line matches. */
  async logged(
    matches: (line: Record<string, unknown>) => boolean,
    timeoutMs = 10_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.logLines.some(matches)) {
      if (Date.now() > deadline)
        throw new Error(`expected log line not seen.\nstdout: ${this.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Runs the server to completion (for start-up failures). */
export async function runMain(env: Record<string, string>) {
  const main = MainProcess.spawn(env);
  const exitCode = await main.exited;
  return { exitCode, stdout: main.stdout, stderr: main.stderr };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

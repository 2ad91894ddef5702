// The apps as `pnpm start` runs them: child processes started from their sources with tsx.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const appDir = fileURLToPath(new URL("..", import.meta.url));
/** apps/server, which this package declares as a dev dependency so that turbo reruns these tests. */
export const serverDir = fileURLToPath(new URL("../../server/", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with tsx in `cwd` (this app by default). */
export function run(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd = appDir,
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(tsx, [script, ...args], { cwd, env: { ...process.env, ...env } });
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

export async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  let seen = "";
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    seen += chunk.toString();
    const line = seen.split("\n").find((candidate) => pattern.test(candidate));
    if (line) return line;
  }
  throw new Error(`the process ended without printing ${pattern}`);
}

// A target server as a child process: started on a free port, ready once /health
// answers, measured through /proc, stopped with SIGTERM (SIGKILL if it lingers).
import { spawn, type ChildProcess } from "node:child_process";
import {
  closeSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";

export interface ServerCommand {
  /** Working directory, relative to the repository root. */
  readonly cwd: string;
  /** Options to `node` before the entry file. */
  readonly nodeArgs: readonly string[];
  /** The entry file, relative to cwd: the target is skipped while it does not exist. */
  readonly entry: string;
}

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  /** From spawning the process to the first 200 from the ready path. */
  readonly readyAfterMs: number;
  /** VmHWM: the most memory the process has held resident since it started. */
  peakRssBytes(): number | null;
  /** The last lines the server printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_KEEP_CHARS = 4_000;

export function readPeakRssBytes(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** The file's last bytes, read from its end: a log of millions of lines is never loaded whole. */
function tailOf(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, OUTPUT_KEEP_CHARS));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return tail.toString();
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export interface ReadyCheck {
  /** Polled until it answers 200: /health by default, /ready for a cold start. */
  readonly path: string;
  readonly pollMs: number;
  readonly timeoutMs: number;
}

const HEALTHY: ReadyCheck = { path: "/health", pollMs: 100, timeoutMs: 60_000 };

async function waitForReady(
  url: string,
  check: ReadyCheck,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + check.timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`${url}${check.path}`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, check.pollMs));
  }
  throw new Error(
    `The server did not answer ${check.path} within ${check.timeoutMs} ms:\n${output()}`,
  );
}

export async function startServer(
  command: ServerCommand,
  env: Record<string, string>,
  repoRoot: string,
  check: ReadyCheck = HEALTHY,
): Promise<RunningServer> {
  const port = await freePort();
  // The server's log lines go to a file, as to a log collector: piped into this
  // process, reading them would cost the load generator's machine CPU per request.
  const logDir = mkdtempSync(join(tmpdir(), "bench-server-"));
  const logFile = join(logDir, "stdout.log");
  const logFd = openSync(logFile, "w");
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...command.nodeArgs, command.entry], {
    cwd: join(repoRoot, command.cwd),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", logFd, "pipe"],
  });
  closeSync(logFd);
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-OUTPUT_KEEP_CHARS);
  });
  const printed = (): string => `${tailOf(logFile)}${errors}`;
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.kill("SIGTERM");
    await exited(child);
    clearTimeout(timer);
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(url, check, child, printed);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid: child.pid ?? -1,
    readyAfterMs: performance.now() - spawnedAt,
    peakRssBytes: () => readPeakRssBytes(child.pid ?? -1),
    output: printed,
    stop,
  };
}

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FLUSH_EVERY_MS } from "../src/logger.ts";

const LOGGER = fileURLToPath(new URL("../src/logger.ts", import.meta.url));

interface Run {
  lines: Array<Record<string, unknown>>;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `body` in a fresh Node process, with `logger` made by createLogger on stdout. */
function runLogging(body: string): Promise<Run> {
  const script = `import { writeSync } from "node:fs";
    import { createLogger } from ${JSON.stringify(LOGGER)};
    const logger = createLogger({ LOG_LEVEL: "info" });
    ${body}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      const lines = output
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ lines, code, signal });
    }),
  );
}

describe("log lines on standard output, several to a write", () => {
  it("writes a quiet server's line within the flush interval, not only at exit", async () => {
    // SIGKILL runs no exit handler: only what was written before it can arrive.
    const run = await runLogging(`
      logger.info("only line");
      setTimeout(() => {
        writeSync(1, JSON.stringify({ msg: "killed now" }) + "\\n");
        process.kill(process.pid, "SIGKILL");
      }, ${FLUSH_EVERY_MS * 4});
    `);
    expect(run.signal).toBe("SIGKILL");
    expect(run.lines.map((line) => line.msg)).toEqual(["only line", "killed now"]);
  });

  it("writes every line when the process exits at once", async () => {
    const run = await runLogging(`
      for (let index = 0; index < 1000; index += 1) logger.info({ index }, "line");
      process.exit(0);
    `);
    expect(run.lines.map((line) => line.index)).toEqual([...Array(1000).keys()]);
    expect(run.code).toBe(0);
  });

  it("writes the lines logged before a crash", async () => {
    const run = await runLogging(`
      logger.info("before the crash");
      logger.info("still before");
      setTimeout(() => { throw new Error("crash"); }, 10);
    `);
    expect(run.lines.map((line) => line.msg)).toEqual(["before the crash", "still before"]);
    expect(run.code).not.toBe(0);
  });
});

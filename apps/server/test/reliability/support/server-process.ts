import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { freePort, MainProcess } from "../../support/main-process.ts";
import { eventually } from "./load.ts";

const serverRoot = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * main.ts in one Node process (tsx as a loader, not its CLI wrapper), so the
 * child's pid is the server's own and its memory can be read from /proc.
 */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ main: MainProcess; url: string; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
    stdio: "pipe",
  });
  const main = new MainProcess(child);
  const url = `http://127.0.0.1:${port}`;
  const up = await eventually(
    () =>
      fetch(`${url}/ready`).then(
        (response) => response.ok,
        () => false,
      ),
    120_000,
  );
  if (!up || child.exitCode !== null || child.pid === undefined) {
    main.kill("SIGKILL");
    throw new Error(`main.ts did not become ready.\n${main.stdout}\n${main.stderr}`);
  }
  return { main, url, pid: child.pid };
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

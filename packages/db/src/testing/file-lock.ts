// A lock file for processes on one machine: created exclusively and holding its
// owner's pid, so that a lock left behind by a process that died is taken over.
// It saves work (one process builds while the others wait); it is not a strict
// mutual exclusion, so what it guards must stay correct without it.
import { open, readFile, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/** A lock with no pid yet is being created; after this long its creator is taken for dead. */
const unwrittenLockTimeoutMillis = 10_000;

/** Runs `work` holding the lock at `path`, first waiting while a live process holds it. */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  while (!(await tryAcquire(path))) await sleep(100);
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if (!hasCode(error, "EEXIST")) throw error;
    if (await ownerIsGone(path)) await rm(path, { force: true });
    return false;
  }
}

async function ownerIsGone(path: string): Promise<boolean> {
  const pid = Number(await readFile(path, "utf8").catch(() => ""));
  if (Number.isInteger(pid) && pid > 0) return !isRunning(pid);
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > unwrittenLockTimeoutMillis;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !hasCode(error, "ESRCH");
  }
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}

import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFileLock } from "../src/testing/file-lock.ts";

describe("withFileLock", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "file-lock-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("runs one holder at a time, in turn", async () => {
    const lock = join(dir, "turns.lock");
    const events: string[] = [];
    const hold = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name} in`);
        await sleep(150);
        events.push(`${name} out`);
        return name;
      });
    // Two first attempts race for the file (either may create it): b asks once a holds it.
    const first = hold("a");
    while (events.length === 0) await sleep(5);
    const second = hold("b");
    expect(await Promise.all([first, second])).toEqual(["a", "b"]);
    expect(events).toEqual(["a in", "a out", "b in", "b out"]);
  });

  it("takes over a lock whose owner process has exited", async () => {
    const lock = join(dir, "dead.lock");
    const exited = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(lock, String(exited));
    await expect(withFileLock(lock, () => Promise.resolve("taken"))).resolves.toBe("taken");
  });

  it("waits while a live process holds it", async () => {
    const lock = join(dir, "live.lock");
    await writeFile(lock, String(process.ppid));
    let acquired = false;
    const waiting = withFileLock(lock, async () => {
      acquired = true;
    });
    await sleep(400);
    expect(acquired).toBe(false);
    await rm(lock);
    await waiting;
    expect(acquired).toBe(true);
  });
});

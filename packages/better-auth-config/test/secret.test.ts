import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { developmentSecret } from "../src/secret.ts";

describe("developmentSecret", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("generates a secret once and keeps it beside the database folder", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "auth-secret-"));
    dirs.push(dir);
    const pgliteDir = path.join(dir, "auth-pglite");
    const first = await developmentSecret(pgliteDir);
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(await developmentSecret(pgliteDir)).toBe(first);
    expect((await stat(`${pgliteDir}.secret`)).mode & 0o777).toBe(0o600);
  });

  it("makes a throwaway secret for an in-memory database", async () => {
    expect(await developmentSecret("memory://")).not.toBe(await developmentSecret("memory://"));
  });
});

import { execFile } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readdir, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const clientDir = fileURLToPath(new URL("../", import.meta.url));
const repoRoot = path.resolve(clientDir, "../..");

/** What a Next.js app installs next to the client (react-dom and next add nothing to the types checked here). */
const consumerLibraries = [
  "@tanstack/react-query",
  "@trpc/client",
  "@trpc/server",
  "@trpc/tanstack-react-query",
  "@types/node",
  "@types/react",
  "react",
  "typescript",
  "vitest",
];

let consumer: string;

/**
 * A Next.js project outside the workspace: create-next-app's tsconfig made stricter,
 * the client installed from the tarball `pnpm pack` makes (dist only, catalog and
 * workspace versions resolved), the libraries linked from this workspace's store.
 */
beforeAll(async () => {
  consumer = await mkdtemp(path.join(tmpdir(), "tasks-client-consumer-"));
  await run("pnpm", ["pack", "--pack-destination", consumer], { cwd: clientDir });
  const tarball = (await readdir(consumer)).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("pnpm pack made no tarball.");
  const installed = path.join(consumer, "node_modules/@tasks/client");
  await mkdir(installed, { recursive: true });
  await run("tar", ["xzf", path.join(consumer, tarball), "-C", installed, "--strip-components=1"]);
  for (const name of consumerLibraries) {
    const target = path.join(consumer, "node_modules", name);
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(await realpath(path.join(clientDir, "node_modules", name)), target, "dir");
  }
  await copyFile(
    path.join(clientDir, "test/consumer/tsconfig.json"),
    path.join(consumer, "tsconfig.json"),
  );
  await mkdir(path.join(consumer, "src"));
  for (const sample of ["inference.types.ts", "react-sample.tsx", "readme-sample.ts"]) {
    await cp(path.join(clientDir, "test", sample), path.join(consumer, "src", sample));
  }
}, 120_000);

afterAll(async () => {
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

async function tsc(...args: string[]): Promise<{ code: number; output: string }> {
  const bin = path.join(consumer, "node_modules/typescript/bin/tsc");
  try {
    const { stdout } = await run(process.execPath, [bin, "-p", consumer, ...args], {
      cwd: consumer,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, output: failure.stdout };
  }
}

describe("a Next.js app outside this monorepo", () => {
  it("type-checks the samples with full inference under its own strict tsconfig", async () => {
    // inference.types.ts asserts every procedure's input and output and that wrong calls do not compile.
    const result = await tsc();
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("reads the client's declarations and none of the server's sources", async () => {
    const { output } = await tsc("--listFilesOnly");
    const files = output.split("\n").filter(Boolean);
    expect(files).toContain(path.join(consumer, "node_modules/@tasks/client/dist/index.d.ts"));
    expect(files.filter((file) => file.startsWith(repoRoot + path.sep + "packages"))).toEqual([]);
    expect(
      files.filter((file) => /@prisma|[/\\]zod[/\\]|[/\\]pg[/\\]|neondatabase/.test(file)),
    ).toEqual([]);
  });

  it("fails to compile a wrong call, so the check above can fail", async () => {
    const wrong = path.join(consumer, "src/wrong.ts");
    await cp(path.join(clientDir, "test/consumer/wrong-call.ts.txt"), wrong);
    const result = await tsc();
    await rm(wrong);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("wrong.ts");
    expect(result.output).toContain("TS2322");
  });
});

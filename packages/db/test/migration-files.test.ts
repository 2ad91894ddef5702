import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPrismaDir, prismaDir } from "../src/migrations/files.ts";

describe("finding prisma/", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "find-prisma-"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("is the repository's prisma/ when run from the source tree", () => {
    expect(prismaDir).toBe(join(import.meta.dirname, "..", "..", "..", "prisma"));
  });

  it("is the production folder's prisma/ from deep inside node_modules/.pnpm", async () => {
    const deployed = join(root, "app");
    const migrations = join(
      deployed,
      "node_modules/.pnpm/@tasks+db@file+packages+db/node_modules/@tasks/db/src/migrations",
    );
    await mkdir(migrations, { recursive: true });
    await mkdir(join(deployed, "prisma"));
    await writeFile(join(deployed, "prisma", "schema.prisma"), "");
    // A `prisma` folder without a schema (the npm package's) is not it.
    await mkdir(
      join(deployed, "node_modules/.pnpm/@tasks+db@file+packages+db/node_modules/prisma"),
    );
    expect(findPrismaDir(migrations)).toBe(join(deployed, "prisma"));
  });
});

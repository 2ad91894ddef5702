// A new PGlite database runs initdb in WebAssembly: seconds on an idle machine,
// far more on a loaded one, and every test file of every package needs one. So
// the migrated database is built once per migration set, dumped, and cached in
// the OS temp folder, where every test worker and process finds it; each test
// database is a clone loaded from that dump, which skips initdb and migrations.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { pgliteTransaction } from "../drivers/pglite.ts";
import { createPglite } from "../drivers/pglite-instance.ts";
import { withFileLock } from "./file-lock.ts";
import { applyMigrations } from "../migrations/apply.ts";
import { readMigrationFolders } from "../migrations/files.ts";
import type { MigrationFolder } from "../migrations/files.ts";

/** An in-memory PGlite holding the current migrations, cloned from the cached template. */
export async function cloneMigratedPglite(): Promise<PGlite> {
  template ??= loadOrBuildTemplate().catch((error: unknown) => {
    template = undefined; // let the next caller try again
    throw error;
  });
  return createPglite("memory://", { loadDataDir: await template });
}

/** The dump, read once per process. */
let template: Promise<Blob> | undefined;

/**
 * The first process to miss the cache builds the template while the others wait
 * for it (on a cold cache every test worker starts at once, and parallel initdb
 * runs would only slow each other down).
 */
async function loadOrBuildTemplate(): Promise<Blob> {
  const migrations = await readMigrationFolders();
  const file = templatePath(migrations);
  return (
    (await readCached(file)) ??
    withFileLock(`${file}.lock`, async () => {
      const builtMeanwhile = await readCached(file);
      if (builtMeanwhile !== null) return builtMeanwhile;
      const dump = await buildTemplate(migrations);
      await writeAtomically(file, new Uint8Array(await dump.arrayBuffer()));
      return dump;
    })
  );
}

async function readCached(file: string): Promise<Blob | null> {
  const bytes = await readFile(file).catch(nullWhenMissing);
  return bytes === null ? null : new Blob([bytes]);
}

/**
 * One file per PGlite version (its data folder format) and migration set (names
 * and checksums), so a changed migration or upgrade never reuses a stale dump.
 */
export function templatePath(migrations: MigrationFolder[]): string {
  const hash = createHash("sha256").update(`pglite ${pgliteVersion()}\n`);
  for (const { name, checksum } of migrations) hash.update(`${name} ${checksum}\n`);
  return join(tmpdir(), `tasks-db-pglite-template-${hash.digest("hex").slice(0, 16)}.tar.gz`);
}

/** From PGlite's manifest, next to its `dist/` entry (the package does not export it). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const manifest: unknown = JSON.parse(
    readFileSync(join(dirname(entry), "..", "package.json"), "utf8"),
  );
  return String(Reflect.get(Object(manifest), "version"));
}

async function buildTemplate(migrations: MigrationFolder[]): Promise<Blob> {
  const pglite = await createPglite("memory://");
  try {
    await applyMigrations({ transaction: pgliteTransaction(pglite) }, migrations);
    return await pglite.dumpDataDir("gzip");
  } finally {
    await pglite.close();
  }
}

/**
 * Other workers may read the file at any moment: they see no file or a whole one,
 * never a partial write. Workers that build at the same time each rename their
 * own copy into place; the contents are equivalent, so the last one wins.
 */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function nullWhenMissing(error: unknown): null {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
  throw error;
}

import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * BETTER_AUTH_SECRET for development. Better Auth encrypts its JWT private keys with it, so a
 * secret that changed across restarts would make the stored keys unusable: generate one on first
 * start and keep it beside the database folder. An in-memory database gets a throwaway secret.
 */
export async function developmentSecret(pgliteDir: string): Promise<string> {
  if (pgliteDir.startsWith("memory://")) return randomBytes(32).toString("base64url");
  const file = path.join(path.dirname(pgliteDir), `${path.basename(pgliteDir)}.secret`);
  const existing = await readFile(file, "utf8").catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const secret = randomBytes(32).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  // "wx": never overwrite a secret another process wrote meanwhile.
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

// Brings a fresh database to the project's schema the way the project does it:
// `pnpm db:migrate` (packages/db) with DATABASE_URL pointing at it.
import { spawn } from "node:child_process";
import { REPO_ROOT } from "./config.ts";

export function migrateDatabase(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("pnpm", ["db:migrate"], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`pnpm db:migrate exited with ${code}`)),
    );
  });
}

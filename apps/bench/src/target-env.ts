// The environment each target starts with: API.md's configuration variables, plus
// NEON_WS_PROXY for the Neon path (documented in docs/benchmarks.md).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNeonProxy } from "@tasks/db/testing";
import type { DatabaseKind } from "./targets.ts";

export interface DatabaseAccess {
  readonly env: Record<string, string>;
  release(): Promise<void>;
}

export function commonEnv(publicKeyPem: string): Record<string, string> {
  return {
    AUTH_PUBLIC_KEY: publicKeyPem,
    // The bench is one client with four users: the limiter must never answer 429
    // (1,000,000 a minute per user is far above what one machine can send).
    RATE_LIMIT_MAX: "1000000",
    LOG_LEVEL: "info",
    DB_POOL_MAX: "10",
  };
}

export async function prepareDatabase(
  kind: DatabaseKind,
  databaseUrl: string,
): Promise<DatabaseAccess> {
  if (kind === "pg") {
    return {
      env: { DATABASE_DRIVER: "pg", DATABASE_URL: databaseUrl },
      release: async () => undefined,
    };
  }
  if (kind === "neon") {
    const { hostname, port } = new URL(databaseUrl);
    const proxy = await startNeonProxy(`${hostname}:${port || "5432"}`);
    return {
      env: { DATABASE_DRIVER: "neon", DATABASE_URL: databaseUrl, NEON_WS_PROXY: proxy.address },
      release: () => proxy.close(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-pglite-"));
  return {
    // The embedded database starts empty: the server applies its own migrations.
    env: { DATABASE_DRIVER: "pglite", PGLITE_DIR: dir, DATABASE_MIGRATE_ON_START: "true" },
    release: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

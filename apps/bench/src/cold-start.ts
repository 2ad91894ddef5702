// What a serverless or autoscaling user pays for a new instance: the production
// bundle's size, and its cold start, from spawning `node dist/main.mjs` to the
// first 200 from /ready (polled every few milliseconds). On PostgreSQL (already
// migrated) and on PGlite, first on an empty folder (initdb and every migration)
// and then on the same folder again (an instance restarted on its volume).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "./server-process.ts";
import { commonEnv, prepareDatabase } from "./target-env.ts";
import { PROJECT_SERVER } from "./targets.ts";

export interface ColdStart {
  readonly database: "pg" | "pglite";
  readonly state: string;
  /** Spawn to the first 200 from /ready, one per round, ascending. */
  readonly readyMs: readonly number[];
}

export interface BundleSize {
  readonly mainBytes: number;
  /** Everything production ships in dist/ but source maps. */
  readonly distBytes: number;
}

export interface ColdStartReport {
  readonly bundle: BundleSize;
  readonly starts: readonly ColdStart[];
}

// PGlite's initdb on an empty folder takes tens of seconds on a loaded 2-core machine.
const READY = { path: "/ready", pollMs: 5, timeoutMs: 180_000 };

export function bundleSize(distDir: string): BundleSize {
  const files = readdirSync(distDir).filter((name) => !name.endsWith(".map"));
  return {
    mainBytes: statSync(join(distDir, "main.mjs")).size,
    distBytes: files.reduce((total, name) => total + statSync(join(distDir, name)).size, 0),
  };
}

async function readyAfter(env: Record<string, string>, repoRoot: string): Promise<number> {
  const server = await startServer(PROJECT_SERVER, env, repoRoot, READY);
  await server.stop();
  return server.readyAfterMs;
}

export async function measureColdStarts(
  repoRoot: string,
  databaseUrl: string,
  publicKeyPem: string,
  rounds: number,
): Promise<ColdStartReport> {
  const common = commonEnv(publicKeyPem);
  const pg = await prepareDatabase("pg", databaseUrl);
  const times = { pg: [] as number[], empty: [] as number[], existing: [] as number[] };
  for (let round = 0; round < rounds; round += 1) {
    times.pg.push(await readyAfter({ ...common, ...pg.env }, repoRoot));
    const pglite = await prepareDatabase("pglite", databaseUrl);
    try {
      times.empty.push(await readyAfter({ ...common, ...pglite.env }, repoRoot));
      times.existing.push(await readyAfter({ ...common, ...pglite.env }, repoRoot));
    } finally {
      await pglite.release();
    }
  }
  const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
  return {
    bundle: bundleSize(join(repoRoot, PROJECT_SERVER.cwd, "dist")),
    starts: [
      { database: "pg", state: "migrated database", readyMs: ascending(times.pg) },
      { database: "pglite", state: "empty folder", readyMs: ascending(times.empty) },
      { database: "pglite", state: "existing folder", readyMs: ascending(times.existing) },
    ],
  };
}

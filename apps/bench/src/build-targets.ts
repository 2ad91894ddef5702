// Both servers run as production builds: the project as its Dockerfile runs it
// (`pnpm --filter @tasks/server build`, node dist/main.mjs), the baseline bundled
// the same way, so that neither pays for a TypeScript loader and the ratio
// compares the servers alone.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { log } from "./log.ts";

const ESM_REQUIRE_BANNER =
  "import { createRequire as $createRequire } from 'node:module'; const require = $createRequire(import.meta.url);";

export async function bundleBaseline(repoRoot: string): Promise<void> {
  const benchRoot = join(repoRoot, "apps/bench");
  await build({
    absWorkingDir: benchRoot,
    entryPoints: { baseline: "baseline/main.ts" },
    outdir: join(benchRoot, "dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: "warning",
  });
}

export async function buildTargets(repoRoot: string): Promise<void> {
  log("building the project (pnpm --filter @tasks/server build) and the baseline");
  execFileSync("pnpm", ["--filter", "@tasks/server", "build"], { cwd: repoRoot, stdio: "ignore" });
  await bundleBaseline(repoRoot);
}

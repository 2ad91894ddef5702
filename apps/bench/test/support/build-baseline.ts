import { bundleBaseline } from "../../src/build-targets.ts";
import { REPO_ROOT } from "../../src/config.ts";

/** Vitest global setup: the baseline runs as the bench runs it, bundled (dist/baseline.mjs). */
export default async function buildBaseline(): Promise<void> {
  await bundleBaseline(REPO_ROOT);
}

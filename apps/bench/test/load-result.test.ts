import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleSize } from "../src/cold-start.ts";
import { meanResult, type LoadResult } from "../src/load-result.ts";

function result(requestsPerSecond: number, extra: Partial<LoadResult> = {}): LoadResult {
  return {
    requests: requestsPerSecond * 10,
    requestsPerSecond,
    latencyP50Ms: requestsPerSecond / 1000,
    latencyP99Ms: requestsPerSecond / 100,
    errors: 0,
    firstFailure: null,
    generatorCpu: 0.2,
    ...extra,
  };
}

describe("the baseline's two passes as one", () => {
  it("averages rates, latencies and the generator's CPU; sums requests and errors", () => {
    expect(meanResult([result(1000), result(3000, { errors: 2, firstFailure: "x" })])).toEqual({
      requests: 40_000,
      requestsPerSecond: 2000,
      latencyP50Ms: 2,
      latencyP99Ms: 20,
      errors: 2,
      firstFailure: "x",
      generatorCpu: 0.2,
    });
  });

  it("has no CPU share when a pass has none", () => {
    expect(
      meanResult([result(1000), result(1000, { generatorCpu: null })]).generatorCpu,
    ).toBeNull();
  });
});

describe("bundle size", () => {
  it("counts main.mjs, and every file of dist/ but source maps", () => {
    const dist = mkdtempSync(join(tmpdir(), "bench-dist-"));
    writeFileSync(join(dist, "main.mjs"), "x".repeat(100));
    writeFileSync(join(dist, "main.mjs.map"), "x".repeat(1000));
    writeFileSync(join(dist, "pglite.wasm"), "x".repeat(10));
    expect(bundleSize(dist)).toEqual({ mainBytes: 100, distBytes: 110 });
  });
});

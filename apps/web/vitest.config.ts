import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import { defineTestConfig } from "../../tooling/vitest/src/index.ts";

export default mergeConfig(defineTestConfig({ services: ["postgres"] }), {
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // expect.poll waits for the page; a shared machine needs longer than its 1 s default.
    expect: { poll: { timeout: 30_000 } },
    // One browser suite against one production build: the machine has few cores.
    fileParallelism: false,
  },
});

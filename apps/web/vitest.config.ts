import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One browser suite against one production build: the machine has few cores.
    fileParallelism: false,
  },
});

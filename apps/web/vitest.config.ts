import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/** `*.pg.test.ts` files test PostgreSQL alone: they run where TEST_DATABASE_URL names one (README). */
const postgresOnly = process.env.TEST_DATABASE_URL ? [] : ["**/*.pg.test.ts"];

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...postgresOnly],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One browser suite against one production build: the machine has few cores.
    fileParallelism: false,
  },
});

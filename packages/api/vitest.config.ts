import { configDefaults, defineConfig } from "vitest/config";

/** `*.pg.test.ts` files test PostgreSQL alone: they run where TEST_DATABASE_URL names one (README). */
const postgresOnly = process.env.TEST_DATABASE_URL ? [] : ["**/*.pg.test.ts"];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...postgresOnly],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

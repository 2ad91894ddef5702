// One test setup for every package. Suites that need a real PostgreSQL or Redis are
// files named `*.pg.test.ts` / `*.redis.test.ts`: vitest runs them only where the
// service's variable is set (CI's .ci/run sets both) and says which it left out.
// vitest.config.ts files import this file by its path: Vite bundles a config's
// relative imports but hands package imports to Node, which cannot load .ts on
// Node 20. Tests import it as @tasks/vitest-config (each package declares it, so
// turbo reruns their tests when it changes).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { configDefaults, defineConfig, type ViteUserConfig } from "vitest/config";

export type Service = "postgres" | "redis";

const SERVICES: Record<Service, { variable: string; suffix: string; name: string }> = {
  postgres: { variable: "TEST_DATABASE_URL", suffix: "pg", name: "PostgreSQL" },
  redis: { variable: "TEST_REDIS_URL", suffix: "redis", name: "Redis" },
};

const TEST_ROOTS = ["test", "src"];

export interface TestConfigOptions {
  /** The services some of this package's suites need. */
  services?: Service[];
  /** Its database suites also run on pg and Neon where TEST_DATABASE_URL is set (`testDrivers()`). */
  databaseDrivers?: boolean;
  globalSetup?: string[];
}

/** The service's URL; `undefined` when its variable is unset or empty. */
export function serviceUrl(service: Service): string | undefined {
  return process.env[SERVICES[service].variable] || undefined;
}

/** For a `*.pg.test.ts` / `*.redis.test.ts` file, which only runs where the variable is set. */
export function requiredServiceUrl(service: Service): string {
  const url = serviceUrl(service);
  if (url === undefined) {
    const { variable, suffix } = SERVICES[service];
    throw new Error(`${variable} is not set: *.${suffix}.test.ts files run only where it is.`);
  }
  return url;
}

export function defineTestConfig(options: TestConfigOptions = {}): ViteUserConfig {
  const missing = (options.services ?? []).filter((service) => serviceUrl(service) === undefined);
  for (const service of missing) console.warn(skippedNote(service, options));
  return defineConfig({
    test: {
      include: TEST_ROOTS.map((root) => `${root}/**/*.test.ts`),
      exclude: [
        ...configDefaults.exclude,
        ...missing.map((service) => `**/*.${SERVICES[service].suffix}.test.ts`),
      ],
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}

function skippedNote(service: Service, options: TestConfigOptions): string {
  const { variable, suffix, name } = SERVICES[service];
  const files = filesEndingWith(`.${suffix}.test.ts`);
  const parts = files.length > 0 ? [`skipped ${files.join(", ")}`] : [];
  if (service === "postgres" && options.databaseDrivers) {
    parts.push("the database suites run on PGlite only");
  }
  return `${variable} is not set, so no test here uses ${name}: ${parts.join("; ")}.`;
}

function filesEndingWith(ending: string): string[] {
  return TEST_ROOTS.filter((root) => existsSync(root))
    .flatMap((root) =>
      readdirSync(root, { recursive: true, encoding: "utf8" }).map((file) => join(root, file)),
    )
    .filter((file) => file.endsWith(ending))
    .sort();
}

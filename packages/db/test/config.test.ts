import { describe, expect, it } from "vitest";
import { databaseConfigFromEnv, databaseEnvSchema, DatabaseConfigError } from "../src/index.ts";
import { databaseConfigFromProcessEnv } from "../src/config.ts";

const configFor = (env: Record<string, string>) =>
  databaseConfigFromEnv(databaseEnvSchema.parse(env));

/** Every problem line for an environment, as the CLIs print them. */
function problemsFor(env: Record<string, string>): string[] {
  try {
    databaseConfigFromProcessEnv(env);
  } catch (error) {
    if (error instanceof DatabaseConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("driver resolution (DATABASE_DRIVER=auto)", () => {
  it("uses the embedded PGlite database without a URL", () => {
    expect(configFor({}).driver).toBe("pglite");
    expect(configFor({ DATABASE_URL: "" }).driver).toBe("pglite");
  });

  it("uses pg for an ordinary PostgreSQL URL", () => {
    const config = configFor({ DATABASE_URL: "postgresql://app:secret@db.internal:5432/tasks" });
    expect(config.driver).toBe("pg");
    expect(config.url).toBe("postgresql://app:secret@db.internal:5432/tasks");
  });

  it("uses neon for Neon hosts, pooled or direct", () => {
    expect(
      configFor({
        DATABASE_URL: "postgres://u:p@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/db",
      }).driver,
    ).toBe("neon");
    expect(
      configFor({ DATABASE_URL: "postgres://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/db" })
        .driver,
    ).toBe("neon");
    expect(configFor({ DATABASE_URL: "postgres://u:p@neon.tech.example.com/db" }).driver).toBe(
      "pg",
    );
  });

  it("lets an explicit driver win over the URL", () => {
    expect(
      configFor({ DATABASE_DRIVER: "pg", DATABASE_URL: "postgres://u@x.neon.tech/db" }).driver,
    ).toBe("pg");
    const embedded = configFor({
      DATABASE_DRIVER: "pglite",
      DATABASE_URL: "postgres://u@localhost/db",
    });
    expect(embedded).toMatchObject({ driver: "pglite" });
    expect(embedded.url).toBeUndefined();
  });
});

describe("defaults and coercion", () => {
  it("fills every default", () => {
    expect(configFor({})).toEqual({
      driver: "pglite",
      pgliteDir: ".data/pglite",
      pool: { max: 10, min: 1, maxLifetimeSeconds: 300, idleTimeoutMillis: 10_000 },
      preparedStatements: true,
      migrateOnStart: false,
    });
  });

  it("coerces strings from process.env", () => {
    const config = configFor({
      DATABASE_URL: "postgres://localhost/tasks",
      PGLITE_DIR: "memory://",
      DB_POOL_MAX: "25",
      DB_POOL_MIN: "0",
      DB_POOL_MAX_LIFETIME_S: "60",
      DB_POOL_IDLE_TIMEOUT_MS: "500",
      DB_PREPARED_STATEMENTS: "false",
      DATABASE_MIGRATE_ON_START: "true",
    });
    expect(config).toEqual({
      driver: "pg",
      url: "postgres://localhost/tasks",
      pgliteDir: "memory://",
      pool: { max: 25, min: 0, maxLifetimeSeconds: 60, idleTimeoutMillis: 500 },
      preparedStatements: false,
      migrateOnStart: true,
    });
    expect(configFor({ DATABASE_MIGRATE_ON_START: "false" }).migrateOnStart).toBe(false);
  });

  it("is a plain object schema the server can extend", () => {
    const merged = databaseEnvSchema.extend({ PORT: databaseEnvSchema.shape.DB_POOL_MAX });
    expect(merged.parse({ PORT: "8000" })).toMatchObject({ PORT: 8000, DATABASE_DRIVER: "auto" });
  });
});

describe("NEON_WS_PROXY", () => {
  const neonUrl = "postgres://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/db";

  it.each([["127.0.0.1:5488"], ["localhost:80"], ["[::1]:5488"], ["proxy.internal:65535"]])(
    "accepts %s for the neon driver",
    (address) => {
      expect(configFor({ DATABASE_URL: neonUrl, NEON_WS_PROXY: address }).neonWsProxy).toBe(
        address,
      );
    },
  );

  it("is left out for the other drivers, and when empty", () => {
    const address = { NEON_WS_PROXY: "127.0.0.1:5488" };
    expect(
      configFor({ ...address, DATABASE_URL: "postgres://localhost/tasks" }),
    ).not.toHaveProperty("neonWsProxy");
    expect(configFor(address)).not.toHaveProperty("neonWsProxy");
    expect(configFor({ DATABASE_URL: neonUrl, NEON_WS_PROXY: "" })).not.toHaveProperty(
      "neonWsProxy",
    );
  });

  it.each([
    ["ws://127.0.0.1:5488"],
    ["127.0.0.1"],
    ["127.0.0.1:0"],
    ["127.0.0.1:65536"],
    ["127.0.0.1:5488/v2"],
    ["user@127.0.0.1:5488"],
    [":5488"],
  ])("rejects %s", (address) => {
    expect(problemsFor({ DATABASE_URL: neonUrl, NEON_WS_PROXY: address })).toEqual([
      "NEON_WS_PROXY must be host:port of a WebSocket proxy, e.g. 127.0.0.1:5488",
    ]);
  });
});

describe("bad values", () => {
  it.each([
    ["notaurl"],
    ["mysql://x"],
    ["mysql://root:hunter2@db/tasks"],
    ["postgres://"],
    ["http://localhost/db"],
  ])("rejects DATABASE_URL=%s with a fixed message that never echoes the value", (url) => {
    expect(problemsFor({ DATABASE_URL: url })).toEqual([
      "DATABASE_URL must be a postgres:// or postgresql:// URL with a host, e.g. postgres://user:password@localhost:5432/tasks",
    ]);
  });

  it("gives one line per problem", () => {
    expect(
      problemsFor({
        DATABASE_DRIVER: "mongo",
        DB_POOL_MAX: "lots",
        DB_POOL_MIN: "-1",
        DB_POOL_IDLE_TIMEOUT_MS: "1.5",
        DATABASE_MIGRATE_ON_START: "maybe",
      }),
    ).toEqual([
      "DATABASE_DRIVER must be one of auto, pglite, pg, neon",
      "DB_POOL_MAX must be a whole number",
      "DB_POOL_MIN must be at least 0",
      "DB_POOL_IDLE_TIMEOUT_MS must be a whole number",
      "DATABASE_MIGRATE_ON_START must be true or false",
    ]);
  });

  it("requires a URL for the pg and neon drivers", () => {
    expect(problemsFor({ DATABASE_DRIVER: "pg" })).toEqual([
      "DATABASE_URL is required when DATABASE_DRIVER is pg",
    ]);
    expect(problemsFor({ DATABASE_DRIVER: "neon" })).toEqual([
      "DATABASE_URL is required when DATABASE_DRIVER is neon",
    ]);
  });

  it("rejects a pool minimum above the maximum", () => {
    expect(problemsFor({ DB_POOL_MAX: "2", DB_POOL_MIN: "5" })).toEqual([
      "DB_POOL_MIN (5) must not exceed DB_POOL_MAX (2)",
    ]);
  });
});

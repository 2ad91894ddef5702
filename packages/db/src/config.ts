// Database settings from the environment. The server merges `databaseEnvSchema`
// into its own config schema, so it stays a plain z.object (no object-level
// refinements, which would stop `.extend()`); checks that span several fields
// live in databaseConfigFromEnv.
import { z } from "zod";

export type DatabaseDriver = "pglite" | "pg" | "neon";

const driverChoices = ["auto", "pglite", "pg", "neon"] as const;

/** Unset-by-emptiness: `DATABASE_URL=` in a .env file means "no URL". */
const emptyAsUnset = (value: unknown): unknown => (value === "" ? undefined : value);

const postgresUrl = z.string().refine(isPostgresUrl, {
  // Never echo the value: it may carry a password.
  message:
    "must be a postgres:// or postgresql:// URL with a host, e.g. postgres://user:password@localhost:5432/tasks",
});

/** `host:port` (IPv6 hosts in brackets); no scheme, no path. */
const hostAndPort = z.string().refine(isHostAndPort, {
  message: "must be host:port of a WebSocket proxy, e.g. 127.0.0.1:5488",
});

const wholeNumber = (min: number) =>
  z.coerce
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` });

export const databaseEnvSchema = z.object({
  DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl.optional()),
  DATABASE_DRIVER: z
    .enum(driverChoices, { error: `must be one of ${driverChoices.join(", ")}` })
    .default("auto"),
  PGLITE_DIR: z
    .string()
    .min(1, { error: "must be a folder path or memory://" })
    .default(".data/pglite"),
  DB_POOL_MAX: wholeNumber(1).default(10),
  DB_POOL_MIN: wholeNumber(0).default(1),
  DB_POOL_MAX_LIFETIME_S: wholeNumber(0).default(300),
  DB_POOL_IDLE_TIMEOUT_MS: wholeNumber(0).default(10_000),
  DB_PREPARED_STATEMENTS: z.stringbool({ error: "must be true or false" }).default(true),
  DATABASE_MIGRATE_ON_START: z.stringbool({ error: "must be true or false" }).default(false),
  NEON_WS_PROXY: z.preprocess(emptyAsUnset, hostAndPort.optional()),
});

export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

export interface DatabaseConfig {
  driver: DatabaseDriver;
  url?: string;
  pgliteDir: string;
  pool: { max: number; min: number; maxLifetimeSeconds: number; idleTimeoutMillis: number };
  /** `pg` driver: name (and so cache) each statement per connection. */
  preparedStatements: boolean;
  migrateOnStart: boolean;
  /**
   * A plain-WebSocket proxy (`host:port`) the Neon driver dials instead of the
   * database host's own endpoint: a local PostgreSQL behind a WebSocket-to-TCP proxy.
   */
  neonWsProxy?: string;
}

/** A configuration problem, one human-readable line per entry in `problems`. */
export class DatabaseConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "DatabaseConfigError";
  }
}

export function databaseConfigFromEnv(env: DatabaseEnv): DatabaseConfig {
  const driver =
    env.DATABASE_DRIVER === "auto" ? driverForUrl(env.DATABASE_URL) : env.DATABASE_DRIVER;
  const problems = crossFieldProblems(env, driver);
  if (problems.length > 0) throw new DatabaseConfigError(problems);
  return {
    driver,
    ...(driver !== "pglite" && env.DATABASE_URL !== undefined ? { url: env.DATABASE_URL } : {}),
    pgliteDir: env.PGLITE_DIR,
    pool: {
      max: env.DB_POOL_MAX,
      min: env.DB_POOL_MIN,
      maxLifetimeSeconds: env.DB_POOL_MAX_LIFETIME_S,
      idleTimeoutMillis: env.DB_POOL_IDLE_TIMEOUT_MS,
    },
    preparedStatements: env.DB_PREPARED_STATEMENTS,
    migrateOnStart: env.DATABASE_MIGRATE_ON_START,
    ...(driver === "neon" && env.NEON_WS_PROXY !== undefined
      ? { neonWsProxy: env.NEON_WS_PROXY }
      : {}),
  };
}

/** Parses raw environment variables (strings) into a DatabaseConfig, or throws DatabaseConfigError listing every problem. */
export function databaseConfigFromProcessEnv(
  source: Record<string, string | undefined> = process.env,
): DatabaseConfig {
  const parsed = databaseEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new DatabaseConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    );
  }
  return databaseConfigFromEnv(parsed.data);
}

function driverForUrl(url: string | undefined): DatabaseDriver {
  if (url === undefined) return "pglite";
  return isNeonHost(new URL(url).hostname) ? "neon" : "pg";
}

function isNeonHost(hostname: string): boolean {
  return hostname === "neon.tech" || hostname.endsWith(".neon.tech");
}

function crossFieldProblems(env: DatabaseEnv, driver: DatabaseDriver): string[] {
  const problems: string[] = [];
  if (driver !== "pglite" && env.DATABASE_URL === undefined) {
    problems.push(`DATABASE_URL is required when DATABASE_DRIVER is ${driver}`);
  }
  if (env.DB_POOL_MIN > env.DB_POOL_MAX) {
    problems.push(
      `DB_POOL_MIN (${env.DB_POOL_MIN}) must not exceed DB_POOL_MAX (${env.DB_POOL_MAX})`,
    );
  }
  return problems;
}

function isPostgresUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
}

const hostPortPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]+):(\d{1,5})$/;

function isHostAndPort(value: string): boolean {
  const port = hostPortPattern.exec(value)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65_535;
}

import {
  authEnvIssues,
  authEnvSchema,
  refineAuthEnv,
  verifierOptionsFromEnv,
  type VerifierOptions,
} from "@tasks/auth";
import { databaseConfigFromEnv, databaseEnvSchema, type DatabaseConfig } from "@tasks/db";
import { z } from "zod";
import type { NotifierChoice } from "@tasks/api/live";
import {
  integerBetween,
  logLevel,
  originList,
  postgresUrl,
  redisUrl,
  trustProxy,
} from "./env-values.ts";

/** The variables only the HTTP server reads; API.md lists them with their defaults. */
export const serverEnvSchema = z.object({
  PORT: integerBetween(1, 65_535).default(8000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  CORS_ORIGINS: originList.default(["http://localhost:3000"]),
  RATE_LIMIT_MAX: integerBetween(1, 1_000_000).default(300),
  RATE_LIMIT_WINDOW_MS: integerBetween(1_000, 86_400_000).default(60_000),
  REDIS_URL: redisUrl.optional(),
  BODY_LIMIT_BYTES: integerBetween(1, 104_857_600).default(65_536),
  TRPC_MAX_BATCH_SIZE: integerBetween(1, 1_000).default(20),
  // Live updates (docs/live-updates.md).
  LIVE_STREAMS_PER_USER: integerBetween(1, 1_000).default(10),
  LIVE_EVENT_RETENTION_S: integerBetween(3_600, 2_592_000).default(3_600),
  LIVE_KEEPALIVE_MS: integerBetween(1_000, 50_000).default(10_000),
  DATABASE_LISTEN_URL: postgresUrl.optional(),
  LOG_LEVEL: logLevel.default("info"),
  TRUST_PROXY: trustProxy.default(false),
  TRPC_FAST_PATH: z.stringbool({ error: "must be true or false" }).default(true),
});

/** What `buildServer` reads: the server's own variables, parsed. */
export type ServerSettings = z.output<typeof serverEnvSchema>;

/** Every variable the process reads, in one schema, with the auth rules across variables. */
export const envSchema = z
  .object({
    ...serverEnvSchema.shape,
    ...databaseEnvSchema.shape,
    ...authEnvSchema.shape,
  })
  .superRefine(refineAuthEnv);

export type ServerConfig = z.output<typeof envSchema>;

export type ConfigResult =
  | {
      ok: true;
      config: ServerConfig;
      database: DatabaseConfig;
      verifier: VerifierOptions;
      notifier: NotifierChoice;
    }
  | { ok: false; problems: string[] };

/** `KEY=` with nothing after it means "use the default", as in most env files. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const entries = Object.entries(env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== "",
  );
  return Object.fromEntries(entries);
}

/** `PORT: must be ...`; messages that already name their variable are kept as they are. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const [variable] = issue.path;
  if (variable === undefined || issue.message.includes(String(variable))) return issue.message;
  return `${String(variable)}: ${issue.message}`;
}

function linesOf(error: unknown): string[] {
  const listed = Reflect.get(Object(error), "problems");
  if (Array.isArray(listed)) return listed.map(String);
  return (error instanceof Error ? error.message : String(error)).split("\n");
}

/** Runs a derivation that reports a bad combination of variables by throwing. */
function derive<T>(build: () => T, problems: string[]): T | undefined {
  try {
    return build();
  } catch (error) {
    problems.push(...linesOf(error));
    return undefined;
  }
}

/**
 * zod skips an object's refinements once a field has an invalid value, so the auth
 * rules across variables are checked on their own too: no problem goes unreported.
 */
function everyProblem(error: z.ZodError, values: Record<string, string>): string[] {
  const problems = error.issues.map(describeIssue);
  const auth = authEnvSchema.safeParse(values);
  if (auth.success) problems.push(...authEnvIssues(auth.data).map((issue) => issue.message));
  return [...new Set(problems)];
}

/**
 * Reads and checks the whole configuration. Every problem is reported at once,
 * one line each, so that an operator fixes them in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const values = withoutEmptyValues(env);
  const parsed = envSchema.safeParse(values);
  if (!parsed.success) return { ok: false, problems: everyProblem(parsed.error, values) };
  const problems: string[] = [];
  const database = derive(() => databaseConfigFromEnv(parsed.data), problems);
  const verifier = derive(() => verifierOptionsFromEnv(parsed.data), problems);
  const notifier = database && derive(() => notifierChoiceOf(parsed.data, database), problems);
  if (!database || !verifier || !notifier) return { ok: false, problems };
  return { ok: true, config: parsed.data, database, verifier, notifier };
}

/**
 * How instances tell each other of new events: Redis where REDIS_URL is set, else
 * LISTEN on DATABASE_LISTEN_URL or DATABASE_URL. Neon's pooled URL (PgBouncer in
 * transaction mode) cannot hold LISTEN's session: it needs the direct URL or Redis.
 */
function notifierChoiceOf(config: ServerConfig, database: DatabaseConfig): NotifierChoice {
  const listenUrl = config.DATABASE_LISTEN_URL ?? database.url;
  const pooled = listenUrl !== undefined && new URL(listenUrl).hostname.includes("-pooler.");
  if (database.driver === "neon" && pooled && !config.REDIS_URL) {
    throw new Error(
      "DATABASE_URL is Neon's pooled URL, which cannot LISTEN: set DATABASE_LISTEN_URL to the direct (unpooled) URL, or REDIS_URL",
    );
  }
  return {
    driver: database.driver,
    ...(config.REDIS_URL && { redisUrl: config.REDIS_URL }),
    ...(listenUrl && { listenUrl }),
  };
}

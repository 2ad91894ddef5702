// Shared CLI wrapper: an expected failure (bad configuration, unreachable
// database, changed migration) is one line per problem and exit code 1, never a
// stack trace.
import { resolve } from "node:path";
import { DatabaseConfigError, databaseConfigFromProcessEnv } from "../config.ts";
import type { DatabaseConfig } from "../config.ts";

export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      for (const line of problemLines(error)) console.error(line);
      process.exit(1);
    },
  );
}

function problemLines(error: unknown): string[] {
  if (error instanceof DatabaseConfigError)
    return error.problems.map((problem) => `error: ${problem}`);
  if (error instanceof AggregateError) return error.errors.flatMap(problemLines);
  if (error instanceof Error) return [`error: ${error.message}`];
  // The Neon driver rejects with a WebSocket ErrorEvent, which holds the Error.
  const inner: unknown = Reflect.get(Object(error), "error");
  if (inner instanceof Error) return problemLines(inner);
  return [`error: ${String(error)}`];
}

/**
 * The server's database settings from the environment. pnpm runs scripts inside
 * packages/db, so a relative PGLITE_DIR is taken from where pnpm was invoked.
 */
export function cliDatabaseConfig(): DatabaseConfig {
  const config = databaseConfigFromProcessEnv();
  if (config.pgliteDir.startsWith("memory://")) return config;
  return { ...config, pgliteDir: resolve(process.env.INIT_CWD ?? process.cwd(), config.pgliteDir) };
}

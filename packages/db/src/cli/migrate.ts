// `pnpm db:migrate`: applies pending migrations to the database the server's
// environment points at (DATABASE_URL etc.; the embedded PGlite without one).
import { migrate } from "../database.ts";
import { cliDatabaseConfig, runCli } from "./run.ts";

runCli(async () => {
  const config = cliDatabaseConfig();
  const { applied } = await migrate(config);
  const target = config.driver === "pglite" ? `pglite at ${config.pgliteDir}` : config.driver;
  if (applied.length === 0) {
    process.stdout.write(`${target}: no pending migrations\n`);
    return;
  }
  for (const name of applied) process.stdout.write(`${target}: applied ${name}\n`);
});

import { createLiveUpdates, startNotifier } from "@tasks/api/live";
import { createTokenVerifier } from "@tasks/auth";
import { createDatabase } from "@tasks/db";
import { buildServer } from "./app.ts";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { DOCS_PATH } from "./plugins/docs-page.ts";

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  for (const problem of loaded.problems) console.error(problem);
  process.exit(1);
}

const { config } = loaded;
const db = await createDatabase(loaded.database);
const verifier = await createTokenVerifier(loaded.verifier);
const logger = createLogger(config);
const notifier = await startNotifier(loaded.notifier, db, logger);
const live = createLiveUpdates({ notifier, maxStreamsPerUser: config.LIVE_STREAMS_PER_USER });
const app = await buildServer({ config, db, verifier, live, logger });

/**
 * Ends the event streams, stops accepting connections, lets in-flight requests
 * finish (new ones on open connections get 503), then closes the notifier and
 * the database pool.
 */
async function shutDown(signal: NodeJS.Signals): Promise<void> {
  app.log.info({ signal }, "shutting down");
  await app.close();
  await notifier.close();
  await db.close();
  app.log.info("stopped");
  process.exit(0);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, (received) => void shutDown(received));
}

const url = await app.listen({ port: config.PORT, host: config.HOST });
app.log.info(
  { url, docs: `${url}${DOCS_PATH}` },
  `listening on ${url}; API docs at ${url}${DOCS_PATH}`,
);

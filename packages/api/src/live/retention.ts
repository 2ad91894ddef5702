import type { Database } from "@tasks/db";
import type { Logger } from "../context.ts";
import { purgeEventsBefore } from "./outbox.ts";

/** API.md promises at least an hour of replay. */
export const MIN_RETENTION_MS = 60 * 60 * 1000;

/**
 * Deletes events older than `retentionMs` every `intervalMs` (every instance may
 * run one: the deletes are idempotent). Returns the function that stops it.
 */
export function purgeOldEvents(
  db: Pick<Database, "sql">,
  options: { retentionMs: number; intervalMs: number; logger: Logger },
): () => void {
  if (options.retentionMs < MIN_RETENTION_MS) {
    throw new RangeError("Events must be kept for at least an hour");
  }
  const timer = setInterval(() => {
    purgeEventsBefore(db, new Date(Date.now() - options.retentionMs)).then(
      (purged) => options.logger.debug({ purged }, "live updates: purged old events"),
      (error: unknown) => options.logger.warn({ err: error }, "live updates: purge failed"),
    );
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import type { ProcedureServices } from "@tasks/api";
import { purgeOldEvents } from "@tasks/api/live";
import type { FastifyInstance } from "fastify";

/** How often this instance deletes events past retention. */
const PURGE_INTERVAL_MS = 5 * 60 * 1000;

/**
 * The outbox's retention, and shutdown: `close()` first ends every open event
 * stream, so clients reconnect (to another instance) instead of holding the
 * process up.
 */
export function liveUpdatesLifecycle(
  app: FastifyInstance,
  services: ProcedureServices,
  retentionSeconds: number,
): void {
  const stopPurging = purgeOldEvents(services.db, {
    retentionMs: retentionSeconds * 1000,
    intervalMs: PURGE_INTERVAL_MS,
    logger: app.log,
  });
  app.addHook("preClose", async () => {
    services.live.streams.closeAll();
  });
  app.addHook("onClose", async () => {
    stopPurging();
  });
}

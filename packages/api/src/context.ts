import type { AuthResult } from "@tasks/auth";
import type { Database } from "@tasks/db";
import type { LiveUpdates } from "./live/live-updates.ts";

/** The slice of a pino logger the procedures use; Fastify's `request.log` fits. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface Context {
  db: Database;
  /** The outcome of checking the request's bearer token (done once, by the host). */
  auth: AuthResult;
  requestId: string;
  logger: Logger;
  /**
   * Called when a create is answered from its idempotency key's first response,
   * so the host can say so (REST: `Idempotent-Replayed: true`).
   */
  onIdempotentReplay?: () => void;
  /** Announces writes to subscribers and serves `tasks.onChange` (one per process). */
  live: LiveUpdates;
}

/** What a host hands every request's context: one of each per process. */
export type ProcedureServices = Pick<Context, "db" | "live">;

export function createContext(options: Context): Context {
  return options;
}

import type { Database, DatabaseDriver } from "@tasks/db";
import type { Logger } from "../context.ts";
import type { FeedSettings } from "./change-feed.ts";
import { InProcessNotifier, type ChangeNotifier } from "./notifier.ts";
import { OpenStreams } from "./open-streams.ts";
import { PgNotifier } from "./pg-notifier.ts";
import { RedisNotifier } from "./redis-notifier.ts";
import { SharedReads } from "./shared-reads.ts";

/** What the procedures need to serve and announce live updates (one per process). */
export interface LiveUpdates {
  readonly notifier: ChangeNotifier;
  readonly streams: OpenStreams;
  readonly reads: SharedReads;
  readonly feed: FeedSettings;
}

export const DEFAULT_FEED_SETTINGS: FeedSettings = {
  pageSize: 500,
  maxBacklog: 10_000,
  pollIntervalMs: 5_000,
  retryDelayMs: 1_000,
};

export function createLiveUpdates(options: {
  notifier: ChangeNotifier;
  maxStreamsPerUser: number;
  feed?: Partial<FeedSettings>;
}): LiveUpdates {
  return {
    notifier: options.notifier,
    streams: new OpenStreams(options.maxStreamsPerUser),
    reads: new SharedReads(),
    feed: { ...DEFAULT_FEED_SETTINGS, ...options.feed },
  };
}

export interface NotifierChoice {
  driver: DatabaseDriver;
  /** Set: Redis pub/sub (the store several instances already share). */
  redisUrl?: string;
  /** Where LISTEN's session connection goes: a direct (unpooled) PostgreSQL URL. */
  listenUrl?: string;
  /** Redis channel; separates deployments sharing one Redis. */
  channel?: string;
}

/**
 * Redis pub/sub where REDIS_URL is set; else PostgreSQL LISTEN/NOTIFY on a server
 * database; else (PGlite, which one process owns) in-process. docs/live-updates.md
 * says why.
 */
export async function startNotifier(
  choice: NotifierChoice,
  db: Pick<Database, "sql">,
  logger: Logger,
): Promise<ChangeNotifier> {
  if (choice.redisUrl) {
    return RedisNotifier.start(choice.redisUrl, choice.channel ?? "tasks:task-events", logger);
  }
  if (choice.driver === "pglite") return new InProcessNotifier();
  if (!choice.listenUrl) throw new Error(`The ${choice.driver} driver needs a URL to LISTEN on`);
  return PgNotifier.start(db, choice.listenUrl, logger);
}

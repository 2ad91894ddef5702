import type { AuthUser } from "@tasks/auth";
import { isDatabaseUnavailableError, type Database } from "@tasks/db";
import type { Logger } from "../context.ts";
import type { TaskFeedEvent } from "../schemas/task-event.ts";
import type { LiveUpdates } from "./live-updates.ts";
import { feedEnding } from "./feed-ending.ts";
import type { ChangeNotifier } from "./notifier.ts";
import type { StreamSlot } from "./open-streams.ts";
import { lastEventIdOf } from "./outbox.ts";
import type { SharedReads } from "./shared-reads.ts";
import { pause, Wakeup } from "./wakeup.ts";

export interface FeedSettings {
  /** Events read per query. */
  pageSize: number;
  /** A subscriber further behind than this many events gets `reset` and skips to now. */
  maxBacklog: number;
  /** How often a subscriber rereads the outbox without being notified (lost notifications). */
  pollIntervalMs: number;
  /** Between reads while the database cannot be reached. */
  retryDelayMs: number;
}

/** One event of the stream and its id, the position a client resumes after. */
export interface FeedItem {
  id: string;
  event: TaskFeedEvent;
}

export interface FeedOptions {
  db: Pick<Database, "sql">;
  notifier: ChangeNotifier;
  /** Shares one read among the user's streams that want the same page. */
  reads: SharedReads;
  settings: FeedSettings;
  logger: Logger;
  userId: string;
  /** The token's `exp`, in seconds since the epoch: the feed ends there. */
  expiresAt: number;
  /** The id of the last event the client saw, as it sent it. */
  lastEventId: string | null | undefined;
  /** Fires when the client goes away. */
  signal: AbortSignal;
  /** Released when the feed ends. */
  slot: StreamSlot;
}

const EVENT_ID = /^(?:0|[1-9]\d{0,18})$/;

function parseEventId(text: string): bigint | undefined {
  return EVENT_ID.test(text) ? BigInt(text) : undefined;
}

function reset(position: bigint): FeedItem {
  return { id: position.toString(), event: { type: "reset" } };
}

/**
 * The caller's changes, read from the outbox after the position the client gave
 * (or, without one, after the latest event: a new stream carries changes made
 * after it opened). Pull-based: the next page is read only when the consumer
 * takes the last one, so a slow consumer holds one page, never a growing queue;
 * one further behind than `maxBacklog` gets `reset`. Ids are gapless per user,
 * so a gap means purged events, which also gets `reset`. The feed survives
 * database outages (it retries its reads) and ends when the client leaves, the
 * token expires or the server shuts down.
 */
export async function* taskFeed(options: FeedOptions): AsyncGenerator<FeedItem, void> {
  const { db, userId, settings } = options;
  const { signal: ending, stop } = feedEnding(
    [options.signal, options.slot.closing],
    options.expiresAt,
  );
  const read = <T>(query: () => Promise<T>) => retrying(query, ending, options);
  const wakeup = new Wakeup();
  const unsubscribe = options.notifier.subscribe(userId, wakeup.signal);
  try {
    const start = await read(() => lastEventIdOf(db, userId));
    if (start === undefined) return;
    let head: bigint = start;
    let position: bigint = start;
    if (options.lastEventId !== null && options.lastEventId !== undefined) {
      const resumeFrom = parseEventId(options.lastEventId);
      if (resumeFrom !== undefined && resumeFrom <= head) position = resumeFrom;
      else yield reset(head);
    }
    while (!ending.aborted) {
      const after = position;
      const woken = wakeup.signalledAt;
      const events = await read(() =>
        options.reads.eventsAfter(db, userId, after, settings.pageSize, woken),
      );
      if (events === undefined) return;
      const first = events[0];
      const full = events.length === settings.pageSize;
      const missed: boolean = first ? first.id !== position + 1n : head > position;
      const latest: bigint | undefined =
        missed || full ? await read(() => lastEventIdOf(db, userId)) : head;
      if (latest === undefined) return;
      if (missed || latest - position > settings.maxBacklog) {
        head = position = latest;
        yield reset(latest);
        continue;
      }
      for (const event of events) {
        position = event.id;
        yield { id: event.id.toString(), event: event.change };
      }
      if (!full) await wakeup.wait(settings.pollIntervalMs, ending);
    }
  } finally {
    stop();
    unsubscribe();
    options.slot.release();
  }
}

/** Runs `query` until it answers, waiting out database outages; undefined once `ending` fires. */
async function retrying<T>(
  query: () => Promise<T>,
  ending: AbortSignal,
  options: Pick<FeedOptions, "settings" | "logger">,
): Promise<T | undefined> {
  while (!ending.aborted) {
    try {
      return await query();
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) throw error;
      options.logger.debug({ err: error }, "live updates: database unavailable; retrying");
      await pause(options.settings.retryDelayMs, ending);
    }
  }
  return undefined;
}

/** What opening a feed needs from the procedures' context. */
export interface FeedContext {
  db: Pick<Database, "sql">;
  live: LiveUpdates;
  logger: Logger;
}

/**
 * Where a client's stream starts: after the id it sent or, without one, after the
 * user's latest event, read now, before the stream opens (REST's 200, tRPC's
 * `connected` event): a change the client makes once it has seen its stream start
 * then always reaches it, where the feed's own first read would come later.
 */
export async function streamStart(
  db: Pick<Database, "sql">,
  userId: string,
  lastEventId: string | null | undefined,
): Promise<string> {
  return lastEventId ?? (await lastEventIdOf(db, userId)).toString();
}

/**
 * `user`'s feed for one client (both surfaces serve this one), or null when
 * they already hold the most open streams allowed.
 */
export function openTaskFeed(
  context: FeedContext,
  user: AuthUser,
  lastEventId: string | null | undefined,
  signal: AbortSignal,
): AsyncGenerator<FeedItem, void> | null {
  const slot = context.live.streams.open(user.id);
  if (!slot) return null;
  return taskFeed({
    db: context.db,
    notifier: context.live.notifier,
    reads: context.live.reads,
    settings: context.live.feed,
    logger: context.logger,
    userId: user.id,
    expiresAt: user.expiresAt,
    lastEventId,
    signal,
    slot,
  });
}

import type { Database } from "@tasks/db";
import { readEventsAfter, type StoredEvent } from "./outbox.ts";

interface InFlight {
  readonly startedAt: number;
  readonly events: Promise<StoredEvent[]>;
}

/**
 * One query for every stream of a user on this instance that wants the same
 * page: a notification wakes all of them at once, at the same position, and
 * without sharing each would read the same rows. A read in flight is joined only
 * by feeds woken before it started, so none gets a snapshot older than the
 * notification that woke it (which would hold its event back until the next poll).
 * One per process and database (LiveUpdates holds it).
 */
export class SharedReads {
  private readonly inFlight = new Map<string, InFlight>();

  /** `userId`'s events after `after`, as readEventsAfter; `wokenAt` is the caller's last wake-up. */
  eventsAfter(
    db: Pick<Database, "sql">,
    userId: string,
    after: bigint,
    limit: number,
    wokenAt: number,
  ): Promise<StoredEvent[]> {
    const key = `${userId}\n${after}\n${limit}`;
    const current = this.inFlight.get(key);
    if (current !== undefined && current.startedAt >= wokenAt) return current.events;
    const entry: InFlight = {
      startedAt: performance.now(),
      events: readEventsAfter(db, userId, after, limit),
    };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    entry.events.then(forget, forget);
    return entry.events;
  }

  /** Reads in flight now (for tests). */
  get size(): number {
    return this.inFlight.size;
  }
}

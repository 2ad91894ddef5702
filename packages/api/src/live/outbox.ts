// The transactional outbox: every write to `tasks` records its events in the same
// statement, as data-modifying CTEs over the write's RETURNING rows, so an
// acknowledged change always has its events and a failed one never does.
import { Prisma, type Database, type TaskEvent } from "@tasks/db";
import type { Task } from "../schemas/task.ts";
import type { TaskChange, TaskChangeType } from "../schemas/task-event.ts";

/** An event as it is stored: its per-user id and the change it describes. */
export interface StoredEvent {
  id: bigint;
  change: TaskChange;
}

/** A row of `task_events` as `readEventsAfter` selects it (ids and JSON as text). */
type EventRow = Pick<TaskEvent, "version"> & {
  id: string;
  type: TaskChangeType;
  taskId: string;
  task: string | null;
};

/** One write to `tasks` and what its statement records and answers besides. */
export interface EventedWrite {
  userId: string;
  type: TaskChangeType;
  /**
   * One INSERT, UPDATE or DELETE on tasks whose RETURNING gives the task as the
   * API shows it plus `"userId"` (deletions: at least `id` and `version`).
   */
  write: Prisma.Sql;
  /** More CTEs over the written rows (`changed`), as `name AS (...)`. */
  alongside?: Prisma.Sql;
  /** What the statement answers; by default the written rows. */
  select?: Prisma.Sql;
  /** "one": the write touches at most one row (its WHERE names the id), "many" otherwise. */
  rows: "one" | "many";
}

/**
 * How the written rows get their event ids. Only a bulk write counts and numbers
 * its rows (an aggregate and a window over them, which PostgreSQL spent measurable
 * time on for every single-task write); a one-task write's event takes the next id.
 */
const EVENT_NUMBERING = {
  one: {
    numbered: Prisma.empty,
    rows: Prisma.raw("changed"),
    added: Prisma.sql`1 FROM changed`,
    eventId: Prisma.sql`sequence.last_event_id`,
    helperColumns: Prisma.empty,
  },
  many: {
    numbered: Prisma.sql`numbered AS (
      SELECT changed.*, row_number() OVER (ORDER BY changed.id) AS n, count(*) OVER () AS total
      FROM changed
    ),`,
    rows: Prisma.raw("numbered"),
    added: Prisma.sql`count(*) FROM changed HAVING count(*) > 0`,
    eventId: Prisma.sql`sequence.last_event_id - numbered.total + numbered.n`,
    helperColumns: Prisma.sql` - 'n' - 'total'`,
  },
} satisfies Record<EventedWrite["rows"], Record<string, Prisma.Sql>>;

/**
 * The write as one statement that also records one `type` event per written row,
 * with the next ids of the user's sequence. The sequence row's lock, held until
 * commit, makes one user's ids commit in the order they were given.
 */
export function withTaskEvents(evented: EventedWrite): Prisma.Sql {
  const { userId, type } = evented;
  const { numbered, rows, added, eventId, helperColumns } = EVENT_NUMBERING[evented.rows];
  const snapshot =
    type === "deleted"
      ? Prisma.sql`NULL::jsonb`
      : Prisma.sql`to_jsonb(${rows}) - 'userId'${helperColumns}`;
  const version =
    type === "deleted" ? Prisma.sql`${rows}.version + 1` : Prisma.sql`${rows}.version`;
  const alongside = evented.alongside ? Prisma.sql`, ${evented.alongside}` : Prisma.empty;
  return Prisma.sql`WITH changed AS (${evented.write}),
    ${numbered}
    sequence AS (
      INSERT INTO task_event_sequences AS s (user_id, last_event_id)
      SELECT ${userId}, ${added}
      ON CONFLICT (user_id) DO UPDATE SET last_event_id = s.last_event_id + excluded.last_event_id
      RETURNING last_event_id
    ),
    recorded AS (
      INSERT INTO task_events (user_id, id, type, task_id, version, task)
      SELECT ${userId}, ${eventId}, ${type}, ${rows}.id, ${version}, ${snapshot}
      FROM ${rows} CROSS JOIN sequence
    )${alongside}
    ${evented.select ?? Prisma.sql`SELECT * FROM changed`}`;
}

/** The id of `userId`'s latest event; 0 before the first. */
export async function lastEventIdOf(db: Pick<Database, "sql">, userId: string): Promise<bigint> {
  const [row] = await db.sql<{
    lastEventId: string;
  }>(Prisma.sql`SELECT last_event_id::text AS "lastEventId"
    FROM task_event_sequences WHERE user_id = ${userId}`);
  return row ? BigInt(row.lastEventId) : 0n;
}

/** Up to `limit` of `userId`'s events after `after`, oldest first: one primary-key range. */
export async function readEventsAfter(
  db: Pick<Database, "sql">,
  userId: string,
  after: bigint,
  limit: number,
): Promise<StoredEvent[]> {
  const rows =
    await db.sql<EventRow>(Prisma.sql`SELECT id::text AS id, type, task_id::text AS "taskId",
      version, task::text AS task
    FROM task_events WHERE user_id = ${userId} AND id > ${after.toString()}::bigint
    ORDER BY task_events.id LIMIT ${limit}`);
  return rows.map(storedEvent);
}

/** Deletes every event recorded before `cutoff`; returns how many. */
export async function purgeEventsBefore(db: Pick<Database, "sql">, cutoff: Date): Promise<number> {
  const [row] = await db.sql<{ count: number }>(Prisma.sql`WITH purged AS (
      DELETE FROM task_events WHERE created_at < ${cutoff.toISOString()}::timestamptz RETURNING 1
    )
    SELECT count(*)::int AS count FROM purged`);
  return Number(row?.count ?? 0);
}

function storedEvent(row: EventRow): StoredEvent {
  const id = BigInt(row.id);
  const version = Number(row.version);
  if (row.type === "deleted")
    return { id, change: { type: "deleted", id: row.taskId, version, task: null } };
  const task = JSON.parse(row.task ?? "null") as Task;
  return { id, change: { type: row.type, id: row.taskId, version, task } };
}

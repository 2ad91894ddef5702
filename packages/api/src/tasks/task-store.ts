import {
  planEachCall,
  Prisma,
  type Database,
  type Task as TaskModel,
  type TaskCount,
} from "@tasks/db";
import { v7 as uuidv7 } from "uuid";
import type { ListTasksQuery, TaskCounts } from "../schemas/task.ts";
import { withTaskEvents, type EventedWrite } from "../live/outbox.ts";
import type { TaskChangeType } from "../schemas/task-event.ts";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor.ts";

/** The generated model with its timestamps as text: what `TASK_COLUMNS` selects. */
type AsSelected<Model> = {
  [Field in keyof Model]: Model[Field] extends Date ? string : Model[Field];
};

/**
 * A row of `tasks` as the statements below select it: timestamps as ISO 8601 text
 * in UTC. Derived from Prisma's model, so a column added to or removed from the
 * schema breaks `TASK_COLUMN_SQL` until the statements follow it.
 */
export type TaskRow = AsSelected<TaskModel>;

export interface TaskChanges {
  title?: string;
  description?: string | null;
  completed?: boolean;
}

export type NewTask = TaskChanges & { title: string };

export interface TaskRowPage {
  rows: TaskRow[];
  nextCursor: string | null;
}

/** What a keyed create found: it created, or the key already answered, is busy, or was used otherwise. */
export type KeyedCreate =
  | { outcome: "created"; row: TaskRow }
  | { outcome: "replayed"; row: TaskRow }
  | { outcome: "in-flight" }
  | { outcome: "key-reused" };

export interface IdempotencyKeyUse {
  key: string;
  /** Identifies the request's meaning: a replay must carry the same. */
  fingerprint: string;
}

/** How long a key answers retries; older rows are purged. */
const KEY_LIFETIME = Prisma.raw("interval '24 hours'");
/** The most expired keys one keyed create removes, so purging stays a small, bounded cost. */
const PURGE_BATCH = 100;

/**
 * The only way procedures reach the tasks table. Every statement carries the
 * owner's id in its WHERE clause, so one user's request cannot touch another's rows.
 *
 * Statements are SQL run on the driver adapter (`Database.sql`), each value a bound
 * parameter: Prisma's ORM and even its `$queryRaw` cost more CPU per call than
 * PostgreSQL spent running these one-row and one-page statements (docs/database.md).
 * The table itself is defined by prisma/schema.prisma.
 *
 * Every write records its events in the same statement (src/live/outbox.ts) and,
 * once it changed something, calls `changed` so that subscribers hear of it.
 */
export class TaskStore {
  constructor(
    private readonly db: Pick<Database, "sql" | "transaction">,
    private readonly userId: string,
    private readonly changed: () => void,
  ) {}

  /** A keyset page, scoped by user_id like every other statement here. */
  async list(query: ListTasksQuery): Promise<TaskRowPage> {
    // The input schema has already refused any cursor that does not decode.
    const after = query.cursor === undefined ? undefined : decodeCursor(query, query.cursor);
    const column = SORT_COLUMNS[query.sort];
    const direction = Prisma.raw(query.order === "desc" ? "DESC" : "ASC");
    const statement = Prisma.sql`SELECT ${TASK_COLUMNS} FROM tasks
      WHERE user_id = ${this.userId}${statusFilter(query)}${searchFilter(query)}${afterCursor(query, after)}
      ORDER BY ${column} ${direction}, id ${direction}
      LIMIT ${query.limit + 1}`;
    // A search's best plan depends on its term (see searchFilter).
    const rows = await this.db.sql<TaskRow>(query.q ? planEachCall(statement) : statement);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor(query, cursorAt(query, last)) : null;
    return { rows: page, nextCursor };
  }

  /**
   * The id is a UUIDv7 (time-ordered, as the schema's `@default(uuid(7))`), made
   * here because that default lives in Prisma's client, not in the database.
   */
  async create(fields: NewTask): Promise<TaskRow> {
    const [row] = await this.db.sql<TaskRow>(
      this.withEvents("created", Prisma.sql`${this.insert(fields)} RETURNING ${TASK_COLUMNS}`, {
        rows: "one",
      }),
    );
    if (!row) throw new Error("INSERT … RETURNING gave no row");
    this.changed();
    return row;
  }

  /**
   * A create under an idempotency key, in one transaction: a transaction-scoped
   * advisory lock on (user, key) tells a request still running (in flight) from a
   * finished one, whose stored first response answers the retry. The task and its
   * key row are one statement, which also purges a bounded batch of expired keys.
   */
  async createOnce(fields: NewTask, use: IdempotencyKeyUse): Promise<KeyedCreate> {
    const outcome = await this.db.transaction(async (tx): Promise<KeyedCreate> => {
      const [lock] = await tx.sql<{ locked: boolean }>(Prisma.sql`SELECT
        pg_try_advisory_xact_lock(hashtext(${this.userId}), hashtext(${use.key})) AS locked`);
      if (!lock?.locked) return { outcome: "in-flight" };
      // A statement of its own, after the lock: its snapshot sees a first request that just committed.
      const [stored] = await tx.sql<{ fingerprint: string; response: string }>(Prisma.sql`SELECT
        fingerprint, response::text AS response FROM idempotency_keys
        WHERE user_id = ${this.userId} AND key = ${use.key} AND expires_at > now()`);
      if (stored) {
        return stored.fingerprint === use.fingerprint
          ? { outcome: "replayed", row: JSON.parse(stored.response) as TaskRow }
          : { outcome: "key-reused" };
      }
      const insert = Prisma.sql`${this.insert(fields)} RETURNING ${TASK_COLUMNS}`;
      const [row] = await tx.sql<TaskRow>(
        this.withEvents("created", insert, {
          rows: "one",
          alongside: Prisma.sql`remembered AS (INSERT INTO idempotency_keys
            (user_id, key, fingerprint, response, expires_at)
          SELECT ${this.userId}, ${use.key}, ${use.fingerprint}, to_jsonb(changed),
            now() + ${KEY_LIFETIME} FROM changed
          ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
            response = EXCLUDED.response, expires_at = EXCLUDED.expires_at),
        purged AS (DELETE FROM idempotency_keys WHERE (user_id, key) IN (
          SELECT user_id, key FROM idempotency_keys
          WHERE expires_at <= now() AND NOT (user_id = ${this.userId} AND key = ${use.key})
          LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED))`,
        }),
      );
      if (!row) throw new Error("INSERT … RETURNING gave no row");
      return { outcome: "created", row };
    });
    if (outcome.outcome === "created") this.changed();
    return outcome;
  }

  /**
   * Without a search, one row of `task_counts` (kept by triggers with every
   * change, in its transaction); with one, a count over the matching tasks.
   */
  async counts(q: string | undefined): Promise<TaskCounts> {
    const [row] = q
      ? await this.db.sql<CountsRow>(
          // Planned per term, as a search page is (see searchFilter).
          planEachCall(Prisma.sql`SELECT count(*)::int AS total,
            (count(*) FILTER (WHERE completed))::int AS completed
            FROM tasks WHERE user_id = ${this.userId}${searchFilter({ q })}`),
        )
      : await this.db.sql<CountsRow>(Prisma.sql`SELECT total, completed FROM task_counts
          WHERE user_id = ${this.userId}`);
    const { total, completed } = row ?? { total: 0, completed: 0 };
    return { all: total, pending: total - completed, completed };
  }

  async find(id: string): Promise<TaskRow | null> {
    const [row] = await this.db.sql<TaskRow>(Prisma.sql`SELECT ${TASK_COLUMNS} FROM tasks
      WHERE id = ${id}::uuid AND user_id = ${this.userId}`);
    return row ?? null;
  }

  /**
   * Sets the given fields (at least one), `updated_at` and the next version; with
   * `expectedVersion`, only on that version (null otherwise: see `whyNotWritten`).
   */
  async update(
    id: string,
    changes: TaskChanges,
    expectedVersion?: number,
  ): Promise<TaskRow | null> {
    const assignments = [
      ...(changes.title !== undefined ? [Prisma.sql`title = ${changes.title}`] : []),
      ...(changes.description !== undefined
        ? [Prisma.sql`description = ${changes.description}`]
        : []),
      ...(changes.completed !== undefined ? [Prisma.sql`completed = ${changes.completed}`] : []),
      Prisma.sql`updated_at = ${timestamp()}`,
      NEXT_VERSION,
    ];
    return this.writeOne(
      "updated",
      Prisma.sql`UPDATE tasks
      SET ${Prisma.join(assignments)}
      WHERE ${this.one(id, expectedVersion)}
      RETURNING ${TASK_COLUMNS}`,
    );
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const row = await this.writeOne(
      "deleted",
      Prisma.sql`DELETE FROM tasks
      WHERE ${this.one(id, expectedVersion)} RETURNING id, version`,
    );
    return row !== null;
  }

  /** One UPDATE flips the flag in the database, so concurrent toggles cannot lose one. */
  async toggle(id: string, expectedVersion?: number): Promise<TaskRow | null> {
    return this.writeOne(
      "updated",
      Prisma.sql`UPDATE tasks
      SET completed = NOT completed, updated_at = ${timestamp()}, ${NEXT_VERSION}
      WHERE ${this.one(id, expectedVersion)}
      RETURNING ${TASK_COLUMNS}`,
    );
  }

  /** "Toggle all": one UPDATE of the caller's tasks whose flag differs; how many it changed. */
  async updateMany(completed: boolean): Promise<number> {
    return this.countOf(
      "updated",
      Prisma.sql`UPDATE tasks
      SET completed = ${completed}, updated_at = ${timestamp()}, ${NEXT_VERSION}
      WHERE user_id = ${this.userId} AND completed <> ${completed}
      RETURNING ${TASK_COLUMNS}`,
    );
  }

  /** "Clear completed": one DELETE of the caller's tasks in `status`; how many it removed. */
  async deleteMany(status: ListTasksQuery["status"]): Promise<number> {
    return this.countOf(
      "deleted",
      Prisma.sql`DELETE FROM tasks
      WHERE user_id = ${this.userId}${statusFilter({ status })}
      RETURNING id, version`,
    );
  }

  /** The caller's task `id`, at `expectedVersion` when one is given. */
  private one(id: string, expectedVersion: number | undefined): Prisma.Sql {
    const owned = Prisma.sql`id = ${id}::uuid AND user_id = ${this.userId}`;
    return expectedVersion === undefined
      ? owned
      : Prisma.sql`${owned} AND version = ${expectedVersion}`;
  }

  private insert(fields: NewTask): Prisma.Sql {
    const now = timestamp();
    return Prisma.sql`INSERT INTO tasks
      (id, user_id, title, description, completed, created_at, updated_at)
      VALUES (${uuidv7()}::uuid, ${this.userId}, ${fields.title}, ${fields.description ?? null},
        ${fields.completed ?? false}, ${now}, ${now})`;
  }

  /** The events of `write` recorded in its statement (src/live/outbox.ts). */
  private withEvents(
    type: TaskChangeType,
    write: Prisma.Sql,
    options: Pick<EventedWrite, "alongside" | "select" | "rows">,
  ): Prisma.Sql {
    return withTaskEvents({ userId: this.userId, type, write, ...options });
  }

  /** A write of at most one task: its row, or null when it changed nothing. */
  private async writeOne<Row>(type: TaskChangeType, write: Prisma.Sql): Promise<Row | null> {
    const [row] = await this.db.sql<Row>(this.withEvents(type, write, { rows: "one" }));
    if (row) this.changed();
    return row ?? null;
  }

  /** The rows a bulk write changed, counted in its statement. */
  private async countOf(type: TaskChangeType, write: Prisma.Sql): Promise<number> {
    const select = Prisma.sql`SELECT count(*)::int AS count FROM changed`;
    const [row] = await this.db.sql<{ count: number }>(
      this.withEvents(type, write, { select, rows: "many" }),
    );
    const count = row?.count ?? 0;
    if (count > 0) this.changed();
    return count;
  }

  /**
   * Whether a task the caller could not reach exists under another owner: the
   * contract answers 403 for those and 404 for ids that exist nowhere.
   */
  async existsForAnotherUser(id: string): Promise<boolean> {
    const rows = await this.db.sql(Prisma.sql`SELECT 1 FROM tasks
      WHERE id = ${id}::uuid AND user_id <> ${this.userId} LIMIT 1`);
    return rows.length > 0;
  }
}

/** Now, as a bound `timestamptz`: an ISO string cast in SQL means the same on every driver. */
function timestamp(): Prisma.Sql {
  return Prisma.sql`${new Date().toISOString()}::timestamptz`;
}

/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** How each field of `TaskRow` is selected: every field, and only those, by its type. */
const TASK_COLUMN_SQL: { [Field in keyof TaskRow]-?: string } = {
  id: "id",
  userId: "user_id",
  title: "title",
  description: "description",
  completed: "completed",
  version: "version",
  createdAt: isoText("created_at"),
  updatedAt: isoText("updated_at"),
};

/** The columns of a task, named as `TaskRow` names them. */
const TASK_COLUMNS = Prisma.raw(
  Object.entries(TASK_COLUMN_SQL)
    .map(([field, sql]) => `${sql} AS "${field}"`)
    .join(", "),
);

const NEXT_VERSION = Prisma.sql`version = version + 1`;

type CountsRow = Pick<TaskCount, "total" | "completed">;

/** Sort keys to column names: only these three ever reach the SQL text. */
const SORT_COLUMNS = {
  createdAt: Prisma.raw("created_at"),
  updatedAt: Prisma.raw("updated_at"),
  title: Prisma.raw("title"),
} satisfies Record<ListTasksQuery["sort"], Prisma.Sql>;

function statusFilter(query: Pick<ListTasksQuery, "status">): Prisma.Sql {
  if (query.status === "all") return Prisma.empty;
  return Prisma.sql` AND completed = ${query.status === "completed"}`;
}

/**
 * ILIKE on title or description; the search text's own wildcards are literal.
 * The two conditions are exactly the expressions of the trigram indexes on
 * title and on description (prisma/schema.prisma), so
 * PostgreSQL can answer a term rare among the user's tasks from those indexes
 * (a BitmapOr), and a frequent one by walking the sort index until the page is
 * full. Planned per term: docs/database.md shows both plans.
 */
function searchFilter(query: Pick<ListTasksQuery, "q">): Prisma.Sql {
  if (!query.q) return Prisma.empty;
  const pattern = `%${escapeLike(query.q)}%`;
  return Prisma.sql` AND (title ILIKE ${pattern} OR description ILIKE ${pattern})`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function cursorAt(query: ListTasksQuery, row: TaskRow): Cursor {
  return { value: row[query.sort], id: row.id };
}

/**
 * Rows strictly after the cursor in (sort key, id) order. A row comparison matches
 * the (user_id, sort key, id) indexes, so PostgreSQL starts the index scan at the
 * cursor and a deep page costs the same as the first.
 */
function afterCursor(query: ListTasksQuery, cursor: Cursor | undefined): Prisma.Sql {
  if (!cursor) return Prisma.empty;
  const column = SORT_COLUMNS[query.sort];
  const value =
    query.sort === "title" ? Prisma.sql`${cursor.value}` : Prisma.sql`${cursor.value}::timestamptz`;
  const comparison = Prisma.raw(query.order === "desc" ? "<" : ">");
  return Prisma.sql` AND (${column}, id) ${comparison} (${value}, ${cursor.id}::uuid)`;
}

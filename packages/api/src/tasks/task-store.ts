import { Prisma, type Database } from "@tasks/db";
import { v7 as uuidv7 } from "uuid";
import type { ListTasksQuery } from "../schemas/task.ts";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor.ts";

/** A row of `tasks` as the statements below select it: timestamps as ISO 8601 text in UTC. */
export interface TaskRow {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TaskChanges {
  title?: string;
  description?: string | null;
  completed?: boolean;
}

export interface TaskRowPage {
  rows: TaskRow[];
  nextCursor: string | null;
}

/**
 * The only way procedures reach the tasks table. Every statement carries the
 * owner's id in its WHERE clause, so one user's request cannot touch another's rows.
 *
 * Statements are SQL run on the driver adapter (`Database.sql`), each value a bound
 * parameter: Prisma's ORM and even its `$queryRaw` cost more CPU per call than
 * PostgreSQL spent running these one-row and one-page statements (docs/database.md).
 * The table itself is defined by prisma/schema.prisma.
 */
export class TaskStore {
  constructor(
    private readonly db: Pick<Database, "sql">,
    private readonly userId: string,
  ) {}

  /** A keyset page, scoped by user_id like every other statement here. */
  async list(query: ListTasksQuery): Promise<TaskRowPage> {
    // The input schema has already refused any cursor that does not decode.
    const after = query.cursor === undefined ? undefined : decodeCursor(query, query.cursor);
    const column = SORT_COLUMNS[query.sort];
    const direction = Prisma.raw(query.order === "desc" ? "DESC" : "ASC");
    const rows = await this.db.sql<TaskRow>(Prisma.sql`SELECT ${TASK_COLUMNS} FROM tasks
      WHERE user_id = ${this.userId}${statusFilter(query)}${searchFilter(query)}${afterCursor(query, after)}
      ORDER BY ${column} ${direction}, id ${direction}
      LIMIT ${query.limit + 1}`);
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
  async create(fields: TaskChanges & { title: string }): Promise<TaskRow> {
    const now = timestamp();
    const [row] = await this.db.sql<TaskRow>(Prisma.sql`INSERT INTO tasks
      (id, user_id, title, description, completed, created_at, updated_at)
      VALUES (${uuidv7()}::uuid, ${this.userId}, ${fields.title}, ${fields.description ?? null},
        ${fields.completed ?? false}, ${now}, ${now})
      RETURNING ${TASK_COLUMNS}`);
    if (!row) throw new Error("INSERT … RETURNING gave no row");
    return row;
  }

  async find(id: string): Promise<TaskRow | null> {
    const [row] = await this.db.sql<TaskRow>(Prisma.sql`SELECT ${TASK_COLUMNS} FROM tasks
      WHERE id = ${id}::uuid AND user_id = ${this.userId}`);
    return row ?? null;
  }

  /** Sets the given fields (at least one) and `updated_at`. */
  async update(id: string, changes: TaskChanges): Promise<TaskRow | null> {
    const assignments = [
      ...(changes.title !== undefined ? [Prisma.sql`title = ${changes.title}`] : []),
      ...(changes.description !== undefined
        ? [Prisma.sql`description = ${changes.description}`]
        : []),
      ...(changes.completed !== undefined ? [Prisma.sql`completed = ${changes.completed}`] : []),
      Prisma.sql`updated_at = ${timestamp()}`,
    ];
    const [row] = await this.db.sql<TaskRow>(Prisma.sql`UPDATE tasks
      SET ${Prisma.join(assignments)}
      WHERE id = ${id}::uuid AND user_id = ${this.userId}
      RETURNING ${TASK_COLUMNS}`);
    return row ?? null;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.sql(Prisma.sql`DELETE FROM tasks
      WHERE id = ${id}::uuid AND user_id = ${this.userId} RETURNING id`);
    return rows.length > 0;
  }

  /** One UPDATE flips the flag in the database, so concurrent toggles cannot lose one. */
  async toggle(id: string): Promise<TaskRow | null> {
    const [row] = await this.db.sql<TaskRow>(Prisma.sql`UPDATE tasks
      SET completed = NOT completed, updated_at = ${timestamp()}
      WHERE id = ${id}::uuid AND user_id = ${this.userId}
      RETURNING ${TASK_COLUMNS}`);
    return row ?? null;
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

/** The columns of a task, named as `TaskRow` names them. */
const TASK_COLUMNS = Prisma.raw(
  `id, user_id AS "userId", title, description, completed, ` +
    `${isoText("created_at")} AS "createdAt", ${isoText("updated_at")} AS "updatedAt"`,
);

/** Sort keys to column names: only these three ever reach the SQL text. */
const SORT_COLUMNS = {
  createdAt: Prisma.raw("created_at"),
  updatedAt: Prisma.raw("updated_at"),
  title: Prisma.raw("title"),
} satisfies Record<ListTasksQuery["sort"], Prisma.Sql>;

function statusFilter(query: ListTasksQuery): Prisma.Sql {
  if (query.status === "all") return Prisma.empty;
  return Prisma.sql` AND completed = ${query.status === "completed"}`;
}

/** ILIKE on title or description; the search text's own wildcards are literal. */
function searchFilter(query: ListTasksQuery): Prisma.Sql {
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

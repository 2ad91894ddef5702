// The four operations the bench drives, as hand-written SQL on a pg Pool. Named
// statements are prepared once per connection, so PostgreSQL parses and plans
// each query shape once (searches excepted: see listStatementName).
import type { Pool } from "pg";
import { v7 as uuidv7 } from "uuid";
import { encodeCursor } from "./cursor.ts";
import { buildListSql, TASK_COLUMNS, type ListQuery } from "./list-query.ts";
import { withEvent } from "./outbox.ts";
import type { NewTask } from "./task-body.ts";

export interface Task {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly completed: boolean;
  readonly version: number;
  /** ISO 8601 text (see TASK_COLUMNS). */
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface TaskPage {
  readonly items: Task[];
  readonly nextCursor: string | null;
}

export type Lookup = { kind: "found"; task: Task } | { kind: "missing" } | { kind: "forbidden" };

const GET_SQL = `SELECT user_id AS "userId", ${TASK_COLUMNS} FROM tasks WHERE id = $1`;
const CREATE_SQL = withEvent(
  "created",
  "INSERT INTO tasks (id, user_id, title, description, completed) VALUES ($1, $2, $3, $4, $5) " +
    `RETURNING ${TASK_COLUMNS}`,
  "$2",
);
// Atomic: the row lock taken by UPDATE serialises concurrent toggles of one task.
const TOGGLE_SQL = withEvent(
  "updated",
  "UPDATE tasks SET completed = NOT completed, updated_at = now(), version = version + 1 " +
    `WHERE id = $1 AND user_id = $2 RETURNING ${TASK_COLUMNS}`,
  "$2",
);
const OWNER_SQL = 'SELECT user_id AS "userId" FROM tasks WHERE id = $1';

// List queries differ by their filters; each distinct text gets its own statement name.
const listStatementNames = new Map<string, string>();

/**
 * A search runs unnamed: PostgreSQL plans a named statement for its values five
 * times, then may keep one generic plan for every term, the sort-index walk, which
 * reads every row of a large user for a rare term (docs/database.md).
 */
function listStatementName(text: string, query: ListQuery): string | undefined {
  if (query.search !== null) return undefined;
  let name = listStatementNames.get(text);
  if (name === undefined) {
    name = `baseline_list_${listStatementNames.size}`;
    listStatementNames.set(text, name);
  }
  return name;
}

function cursorValue(task: Task, query: ListQuery): string {
  if (query.sort === "title") return task.title;
  return query.sort === "createdAt" ? task.createdAt : task.updatedAt;
}

export async function listTasks(pool: Pool, userId: string, query: ListQuery): Promise<TaskPage> {
  const sql = buildListSql(userId, query);
  const name = listStatementName(sql.text, query);
  const { rows } = await pool.query<Task>(name === undefined ? sql : { name, ...sql });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const hasMore = rows.length > query.limit && last !== undefined;
  return {
    items,
    nextCursor: hasMore ? encodeCursor({ value: cursorValue(last, query), id: last.id }) : null,
  };
}

export async function getTask(pool: Pool, userId: string, id: string): Promise<Lookup> {
  const { rows } = await pool.query<Task & { userId: string }>({
    name: "baseline_get",
    text: GET_SQL,
    values: [id],
  });
  const row = rows[0];
  if (row === undefined) return { kind: "missing" };
  // The owner decides the answer but is never part of it.
  const { userId: owner, ...task } = row;
  return owner === userId ? { kind: "found", task } : { kind: "forbidden" };
}

export async function createTask(pool: Pool, userId: string, task: NewTask): Promise<Task> {
  const values = [uuidv7(), userId, task.title, task.description, task.completed];
  const { rows } = await pool.query<Task>({ name: "baseline_create", text: CREATE_SQL, values });
  const created = rows[0];
  if (created === undefined) throw new Error("INSERT ... RETURNING returned no row");
  return created;
}

export async function toggleTask(pool: Pool, userId: string, id: string): Promise<Lookup> {
  const { rows } = await pool.query<Task>({
    name: "baseline_toggle",
    text: TOGGLE_SQL,
    values: [id, userId],
  });
  const toggled = rows[0];
  if (toggled !== undefined) return { kind: "found", task: toggled };
  // Only the miss path pays for telling "not yours" from "not there".
  const owner = await pool.query({ name: "baseline_owner", text: OWNER_SQL, values: [id] });
  return owner.rowCount === 0 ? { kind: "missing" } : { kind: "forbidden" };
}

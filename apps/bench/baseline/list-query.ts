// Hand-written parsing of the list input (REST query string or tRPC input) and the
// keyset SQL it becomes. One index per sort serves each page: see prisma/schema.prisma.
import { decodeCursor, type Cursor } from "./cursor.ts";

const SORT_COLUMNS = { createdAt: "created_at", updatedAt: "updated_at", title: "title" } as const;
const STATUS_FILTERS = { all: null, pending: false, completed: true } as const;

export type SortField = keyof typeof SORT_COLUMNS;

export interface ListQuery {
  readonly completed: boolean | null;
  readonly sort: SortField;
  readonly descending: boolean;
  readonly search: string | null;
  readonly limit: number;
  readonly cursor: Cursor | null;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string };

const ALLOWED_KEYS = new Set(["status", "sort", "order", "q", "limit", "cursor"]);

function pick<T extends object>(table: T, raw: unknown, fallback: keyof T): keyof T | null {
  if (raw === undefined) return fallback;
  return typeof raw === "string" && Object.hasOwn(table, raw) ? (raw as keyof T) : null;
}

function parseLimit(raw: unknown): number | null {
  if (raw === undefined) return 20;
  const limit = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : NaN;
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : null;
}

export function parseListQuery(input: Record<string, unknown>): ParseResult<ListQuery> {
  const unknownKey = Object.keys(input).find((key) => !ALLOWED_KEYS.has(key));
  if (unknownKey !== undefined) return { ok: false, detail: `Unknown parameter '${unknownKey}'.` };
  const status = pick(STATUS_FILTERS, input.status, "all");
  const sort = pick(SORT_COLUMNS, input.sort, "createdAt");
  const order = input.order ?? "desc";
  const limit = parseLimit(input.limit);
  if (status === null) return { ok: false, detail: "status must be all, pending or completed." };
  if (sort === null) return { ok: false, detail: "sort must be createdAt, updatedAt or title." };
  if (order !== "asc" && order !== "desc")
    return { ok: false, detail: "order must be asc or desc." };
  if (limit === null) return { ok: false, detail: "limit must be an integer from 1 to 100." };
  if (input.q !== undefined && typeof input.q !== "string") {
    return { ok: false, detail: "q must be a string." };
  }
  const cursor = input.cursor === undefined ? null : decodeCursor(String(input.cursor));
  if (input.cursor !== undefined && cursor === null) {
    return { ok: false, detail: "cursor is not a cursor this API issued." };
  }
  const search = input.q === undefined || input.q === "" ? null : input.q;
  const value = {
    completed: STATUS_FILTERS[status],
    sort,
    descending: order === "desc",
    search,
    limit,
    cursor,
  };
  return { ok: true, value };
}

export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

/** ISO 8601 in UTC, as the API writes it: PostgreSQL formats it, so no Date is parsed or printed. */
function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export const TASK_COLUMNS =
  `id, title, description, completed, version, ` +
  `${isoText("created_at")} AS "createdAt", ${isoText("updated_at")} AS "updatedAt"`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** One more row than the page, so the caller knows whether there is a next page. */
export function buildListSql(userId: string, query: ListQuery): SqlQuery {
  const column = SORT_COLUMNS[query.sort];
  const direction = query.descending ? "DESC" : "ASC";
  const values: unknown[] = [userId];
  const where = ["user_id = $1"];
  if (query.completed !== null) {
    values.push(query.completed);
    where.push(`completed = $${values.length}`);
  }
  if (query.search !== null) {
    values.push(`%${escapeLike(query.search)}%`);
    where.push(`(title ILIKE $${values.length} OR description ILIKE $${values.length})`);
  }
  if (query.cursor !== null) {
    const valueType = query.sort === "title" ? "text" : "timestamptz";
    values.push(query.cursor.value, query.cursor.id);
    const comparison = query.descending ? "<" : ">";
    where.push(
      `(${column}, id) ${comparison} ($${values.length - 1}::${valueType}, $${values.length}::uuid)`,
    );
  }
  values.push(query.limit + 1);
  const text =
    `SELECT ${TASK_COLUMNS} FROM tasks WHERE ${where.join(" AND ")} ` +
    `ORDER BY ${column} ${direction}, id ${direction} LIMIT $${values.length}`;
  return { text, values };
}

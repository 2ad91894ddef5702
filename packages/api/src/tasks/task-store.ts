import { Prisma, type PrismaClient, type Task as TaskRow } from "@tasks/db";
import type { ListTasksQuery } from "../schemas/task.ts";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor.ts";

export type { TaskRow };

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
 */
export class TaskStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly userId: string,
  ) {}

  async list(query: ListTasksQuery): Promise<TaskRowPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query, query.cursor);
    const rows = await this.prisma.task.findMany({
      where: { AND: [this.filter(query), afterCursor(query, after)] },
      orderBy: [{ [query.sort]: query.order }, { id: query.order }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor(query, cursorAt(query, last)) : null;
    return { rows: page, nextCursor };
  }

  create(fields: TaskChanges & { title: string }): Promise<TaskRow> {
    return this.prisma.task.create({ data: { ...fields, userId: this.userId } });
  }

  find(id: string): Promise<TaskRow | null> {
    return this.prisma.task.findFirst({ where: { id, userId: this.userId } });
  }

  async update(id: string, changes: TaskChanges): Promise<TaskRow | null> {
    const [row] = await this.prisma.task.updateManyAndReturn({
      where: { id, userId: this.userId },
      data: { ...changes, updatedAt: new Date() },
    });
    return row ?? null;
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.task.deleteMany({ where: { id, userId: this.userId } });
    return count > 0;
  }

  /** One UPDATE flips the flag in the database, so concurrent toggles cannot lose one. */
  async toggle(id: string): Promise<TaskRow | null> {
    const [row] = await this.prisma.$queryRaw<TaskRow[]>`
      UPDATE tasks SET completed = NOT completed, updated_at = ${new Date()}
      WHERE id = ${id}::uuid AND user_id = ${this.userId}
      RETURNING id, user_id AS "userId", title, description, completed,
        created_at AS "createdAt", updated_at AS "updatedAt"`;
    return row ?? null;
  }

  /**
   * Whether a task the caller could not reach exists under another owner: the
   * contract answers 403 for those and 404 for ids that exist nowhere.
   */
  async existsForAnotherUser(id: string): Promise<boolean> {
    const count = await this.prisma.task.count({ where: { id, userId: { not: this.userId } } });
    return count > 0;
  }

  private filter(query: ListTasksQuery): Prisma.TaskWhereInput {
    const where: Prisma.TaskWhereInput = { userId: this.userId };
    if (query.status !== "all") where.completed = query.status === "completed";
    if (query.q) {
      const contains = { contains: escapeLike(query.q), mode: Prisma.QueryMode.insensitive };
      where.OR = [{ title: contains }, { description: contains }];
    }
    return where;
  }
}

/** Prisma passes `contains` to ILIKE as is: the search text's wildcards must be literal. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function cursorAt(query: ListTasksQuery, row: TaskRow): Cursor {
  const key = row[query.sort];
  return { value: typeof key === "string" ? key : key.toISOString(), id: row.id };
}

/**
 * Rows strictly after the cursor in (sort key, id) order. The redundant bound on
 * the sort key alone lets PostgreSQL start the index scan at the cursor, so a deep
 * page costs the same as the first.
 */
function afterCursor(query: ListTasksQuery, cursor: Cursor | undefined): Prisma.TaskWhereInput {
  if (!cursor) return {};
  const value = query.sort === "title" ? cursor.value : new Date(cursor.value);
  const [inclusive, strict] =
    query.order === "desc" ? (["lte", "lt"] as const) : (["gte", "gt"] as const);
  return {
    [query.sort]: { [inclusive]: value },
    OR: [{ [query.sort]: { [strict]: value } }, { id: { [strict]: cursor.id } }],
  };
}

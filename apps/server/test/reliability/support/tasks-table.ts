import type { TaskRow } from "@tasks/api";
import type { Database } from "@tasks/db";

/** The rows of the tasks table (of some users), read straight from the database (not through the API). */
export type TableSnapshot = Map<string, TaskRow>;

export async function snapshotTasks(
  db: Database,
  userIds?: readonly string[],
): Promise<TableSnapshot> {
  const rows = await db.prisma.task.findMany({
    ...(userIds && { where: { userId: { in: [...userIds] } } }),
    orderBy: { id: "asc" },
  });
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        userId: row.userId,
        title: row.title,
        description: row.description,
        completed: row.completed,
        version: row.version,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      },
    ]),
  );
}

export interface TableDiff {
  added: TaskRow[];
  removed: TaskRow[];
  changed: { before: TaskRow; after: TaskRow }[];
}

export function diffTables(before: TableSnapshot, after: TableSnapshot): TableDiff {
  const added = [...after.values()].filter((row) => !before.has(row.id));
  const removed = [...before.values()].filter((row) => !after.has(row.id));
  const changed = [...after.values()].flatMap((row) => {
    const old = before.get(row.id);
    return old && JSON.stringify(old) !== JSON.stringify(row) ? [{ before: old, after: row }] : [];
  });
  return { added, removed, changed };
}

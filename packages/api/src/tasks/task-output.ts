import type { Task } from "../schemas/task.ts";
import type { TaskRow } from "./task-store.ts";

/** A row as both surfaces return it: the owner's id never leaves the server. */
export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

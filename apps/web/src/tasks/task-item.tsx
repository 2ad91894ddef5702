"use client";
import type { Task } from "@tasks/client";
import { useState, type KeyboardEvent } from "react";
import { isOptimistic } from "./use-task-actions";

export interface TaskItemProps {
  task: Task;
  onRename(task: Task, title: string): Promise<boolean>;
  onSetCompleted(task: Task, completed: boolean): Promise<boolean>;
  onRemove(task: Task): Promise<boolean>;
}

/** One row: toggle, title (double-click or "Edit" to edit in place), delete. */
export function TaskItem({ task, onRename, onSetCompleted, onRemove }: TaskItemProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const saving = isOptimistic(task);

  async function finishEditing(text: string) {
    const title = text.trim();
    setEditing(null);
    if (!title) return void onRemove(task);
    if (title === task.title) return;
    // Refused (offline, invalid): reopen the editor with what was typed.
    if (!(await onRename(task, title))) setEditing(text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") void finishEditing(event.currentTarget.value);
    if (event.key === "Escape") setEditing(null);
  }

  const classes = [task.completed && "completed", editing !== null && "editing"].filter(Boolean);
  return (
    <li className={classes.join(" ")} aria-busy={saving || undefined} data-testid="task">
      {editing === null ? (
        <div className="view">
          <input
            className="toggle"
            type="checkbox"
            checked={task.completed}
            disabled={saving}
            aria-label={`Mark “${task.title}” as ${task.completed ? "not done" : "done"}`}
            onChange={(event) => void onSetCompleted(task, event.currentTarget.checked)}
          />
          <span className="title" onDoubleClick={() => !saving && setEditing(task.title)}>
            {task.title}
          </span>
          <button
            type="button"
            className="edit"
            disabled={saving}
            aria-label={`Edit “${task.title}”`}
            onClick={() => setEditing(task.title)}
          >
            Edit
          </button>
          <button
            type="button"
            className="destroy"
            disabled={saving}
            aria-label={`Delete “${task.title}”`}
            onClick={() => void onRemove(task)}
          >
            ×
          </button>
        </div>
      ) : (
        <input
          className="edit-field"
          aria-label={`New title for “${task.title}”`}
          autoFocus
          value={editing}
          onChange={(event) => setEditing(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={(event) => editing !== null && void finishEditing(event.currentTarget.value)}
        />
      )}
    </li>
  );
}

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

/**
 * What is typed in the editor, and the task as it was when editing began: saving
 * sends that version, so a change that arrived from elsewhere meanwhile (a live
 * update) is not overwritten but answered with 412 and the fresh task.
 */
interface Edit {
  text: string;
  from: Task;
}

/** One row: toggle, title (double-click or "Edit" to edit in place), delete. */
export function TaskItem({ task, onRename, onSetCompleted, onRemove }: TaskItemProps) {
  const [editing, setEditing] = useState<Edit | null>(null);
  const saving = isOptimistic(task);
  const startEditing = () => setEditing({ text: task.title, from: task });

  async function finishEditing(edit: Edit) {
    const title = edit.text.trim();
    setEditing(null);
    if (!title) return void onRemove(edit.from);
    if (title === edit.from.title) return;
    // Refused (offline, invalid): reopen the editor with what was typed.
    if (!(await onRename(edit.from, title))) setEditing(edit);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>, edit: Edit) {
    if (event.key === "Enter") void finishEditing({ ...edit, text: event.currentTarget.value });
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
          <span className="title" onDoubleClick={() => !saving && startEditing()}>
            {task.title}
          </span>
          <button
            type="button"
            className="edit"
            disabled={saving}
            aria-label={`Edit “${task.title}”`}
            onClick={startEditing}
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
          aria-label={`New title for “${editing.from.title}”`}
          autoFocus
          value={editing.text}
          onChange={(event) => setEditing({ ...editing, text: event.currentTarget.value })}
          onKeyDown={(event) => onKeyDown(event, editing)}
          onBlur={(event) => void finishEditing({ ...editing, text: event.currentTarget.value })}
        />
      )}
    </li>
  );
}

// Hand-written checks of a create body, with the rules of the contract (API.md).
import type { ParseResult } from "./list-query.ts";

export interface NewTask {
  readonly title: string;
  readonly description: string | null;
  readonly completed: boolean;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type BodyResult = ParseResult<NewTask> | { ok: false; detail: string; errors: FieldError[] };

const ALLOWED_KEYS = new Set(["title", "description", "completed"]);

function characterCount(text: string): number {
  return [...text].length;
}

function titleError(raw: unknown): string | null {
  if (typeof raw !== "string") return "title is required and must be a string.";
  const length = characterCount(raw.trim());
  return length >= 1 && length <= 200 ? null : "title must be 1 to 200 characters after trimming.";
}

function descriptionError(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== "string") return "description must be a string or null.";
  return characterCount(raw) <= 1000 ? null : "description must be at most 1000 characters.";
}

export function parseNewTask(body: unknown): BodyResult {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, detail: "The body must be a JSON object." };
  }
  const fields = body as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(fields)
    .filter((key) => !ALLOWED_KEYS.has(key))
    .map((key) => ({ path: key, message: "Unknown field." }));
  const title = titleError(fields.title);
  const description = descriptionError(fields.description);
  if (title !== null) errors.push({ path: "title", message: title });
  if (description !== null) errors.push({ path: "description", message: description });
  if (fields.completed !== undefined && typeof fields.completed !== "boolean") {
    errors.push({ path: "completed", message: "completed must be a boolean." });
  }
  if (errors.length > 0) return { ok: false, detail: "The body breaks the task rules.", errors };
  const rawDescription = fields.description as string | null | undefined;
  return {
    ok: true,
    value: {
      title: (fields.title as string).trim(),
      description: rawDescription === undefined || rawDescription === "" ? null : rawDescription,
      completed: (fields.completed as boolean | undefined) ?? false,
    },
  };
}

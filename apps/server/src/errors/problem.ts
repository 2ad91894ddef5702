import type { FieldIssue } from "@tasks/api";

/** How long a client should wait before retrying after a 503 (seconds). */
export const RETRY_AFTER_SECONDS = 5;

/** An error response in API.md's terms, before it is written in either surface's shape. */
export interface Problem {
  status: number;
  detail: string;
  errors?: FieldIssue[];
  headers?: Record<string, string>;
}

export const retryLater = { "retry-after": String(RETRY_AFTER_SECONDS) };

export const UNEXPECTED_PROBLEM: Problem = {
  status: 500,
  detail: "An unexpected error occurred.",
};

export const DATABASE_UNAVAILABLE_PROBLEM: Problem = {
  status: 503,
  detail: "The database is unavailable; try again shortly.",
  headers: retryLater,
};

/** The REST body of a problem: `{ detail }`, plus `errors` for validation failures. */
export function restBody(problem: Problem): { detail: string; errors?: FieldIssue[] } {
  return problem.errors
    ? { detail: problem.detail, errors: problem.errors }
    : { detail: problem.detail };
}

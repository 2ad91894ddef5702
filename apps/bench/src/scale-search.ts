// Search latency against the task count of one user (`q`, title or description
// ILIKE '%q%'): a rare term, in the same number of tasks at every scale, and a
// term every task matches; the first page and the next one (following nextCursor).
// With the trigram indexes neither should grow with the user's task count.
import type pg from "pg";
import type { RequestSpec } from "./requests.ts";
import type { ScalePage } from "./scale.ts";

/** How many of each scale user's tasks carry the rare term: two full pages and a bit. */
export const RARE_TASKS = 50;
export const RARE_TERM = "quasar";
/** Every seeded title is "Seeded task <n>". */
export const FREQUENT_TERM = "task";
const PAGE_SIZE = 20;

export const SEARCH_PAGES = [
  "search rare, first",
  "search rare, next",
  "search frequent, first",
  "search frequent, next",
] as const;

export type SearchPage = (typeof SEARCH_PAGES)[number];

/** Appends the rare term to RARE_TASKS of the user's tasks, spread evenly over them. */
export async function markRareTasks(pool: pg.Pool, userId: string, tasks: number): Promise<void> {
  await pool.query(
    `UPDATE tasks SET title = title || ' ' || $3
     WHERE user_id = $1 AND substring(title from '(\\d+)$')::int % $2 = 0`,
    [userId, Math.max(1, Math.floor(tasks / RARE_TASKS)), RARE_TERM],
  );
}

function searchRequest(token: string, term: string, cursor: string | null): RequestSpec {
  const after = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
  return {
    method: "GET",
    path: `/api/v1/tasks?q=${encodeURIComponent(term)}&limit=${PAGE_SIZE}${after}`,
    headers: { authorization: `Bearer ${token}` },
  };
}

async function nextCursorOf(url: string, request: RequestSpec): Promise<string> {
  const response = await fetch(`${url}${request.path}`, { headers: request.headers });
  if (!response.ok)
    throw new Error(`GET ${request.path} -> ${response.status} ${await response.text()}`);
  const { nextCursor } = (await response.json()) as { nextCursor: string | null };
  if (nextCursor === null) throw new Error(`GET ${request.path} has no next page.`);
  return nextCursor;
}

/** The four search pages of one scale user on one server (each server issues its own cursors). */
export async function searchPages(url: string, tasks: number, token: string): Promise<ScalePage[]> {
  const pages: ScalePage[] = [];
  for (const [term, kind] of [
    [RARE_TERM, "rare"],
    [FREQUENT_TERM, "frequent"],
  ] as const) {
    const first = searchRequest(token, term, null);
    const next = searchRequest(token, term, await nextCursorOf(url, first));
    pages.push({ tasks, page: `search ${kind}, first`, offset: 0, request: first });
    pages.push({ tasks, page: `search ${kind}, next`, offset: PAGE_SIZE, request: next });
  }
  return pages;
}

// List latency against the task count of one user: the first page, and a page
// half-way down reached by following nextCursor. Keyset pages should not care.
// Counts too, where the server has them: kept with each change, they should not either.
import type { LatencyStats } from "./latency.ts";
import type { RequestSpec } from "./requests.ts";
import { searchPages, type SearchPage } from "./scale-search.ts";

export interface ScaleUser {
  readonly tasks: number;
  readonly token: string;
}

export interface ScalePage {
  readonly tasks: number;
  readonly page: "first" | "deep" | "counts" | SearchPage;
  /** How many tasks come before the measured page (0 for counts). */
  readonly offset: number;
  readonly request: RequestSpec;
}

export interface ScaleRun {
  readonly tasks: number;
  readonly page: ScalePage["page"];
  readonly offset: number;
  readonly latency: LatencyStats;
}

const WALK_PAGE_SIZE = 100;

function listRequest(token: string, query: string): RequestSpec {
  return {
    method: "GET",
    path: `/api/v1/tasks${query}`,
    headers: { authorization: `Bearer ${token}` },
  };
}

/** Follows nextCursor until `skip` tasks are behind; returns the cursor there. */
export async function walkToCursor(url: string, token: string, skip: number): Promise<string> {
  let cursor: string | null = null;
  for (let walked = 0; walked < skip; walked += WALK_PAGE_SIZE) {
    const query: string = `?limit=${WALK_PAGE_SIZE}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const response = await fetch(`${url}/api/v1/tasks${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok)
      throw new Error(
        `Walking the cursor: GET ${query} -> ${response.status} ${await response.text()}`,
      );
    cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
    if (cursor === null)
      throw new Error(`The list ended after ${walked + WALK_PAGE_SIZE} tasks, before ${skip}.`);
  }
  if (cursor === null) throw new Error("Walking zero tasks gives no cursor.");
  return cursor;
}

function countsRequest(token: string): RequestSpec {
  return { ...listRequest(token, ""), path: "/api/v1/tasks/counts" };
}

/** Whether the server answers counts (the baseline has no such route). */
async function servesCounts(url: string, user: ScaleUser): Promise<boolean> {
  const { path, headers } = countsRequest(user.token);
  const response = await fetch(`${url}${path}`, { headers });
  await response.arrayBuffer();
  return response.ok;
}

/** The pages to measure on one server: cursors are opaque, so each server walks its own. */
export async function scalePages(url: string, users: readonly ScaleUser[]): Promise<ScalePage[]> {
  const pages: ScalePage[] = [];
  const [first] = users;
  const counts = first !== undefined && (await servesCounts(url, first));
  for (const user of users) {
    if (counts) {
      pages.push({
        tasks: user.tasks,
        page: "counts",
        offset: 0,
        request: countsRequest(user.token),
      });
    }
    pages.push({
      tasks: user.tasks,
      page: "first",
      offset: 0,
      request: listRequest(user.token, ""),
    });
    const offset = Math.floor(user.tasks / 2 / WALK_PAGE_SIZE) * WALK_PAGE_SIZE;
    const cursor = await walkToCursor(url, user.token, offset);
    const request = listRequest(user.token, `?cursor=${encodeURIComponent(cursor)}`);
    pages.push({ tasks: user.tasks, page: "deep", offset, request });
    pages.push(...(await searchPages(url, user.tasks, user.token)));
  }
  return pages;
}

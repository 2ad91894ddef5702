import type { RouterInputs } from "@tasks/client";

export type Filter = "all" | "active" | "completed";
export type TaskStatus = NonNullable<RouterInputs["tasks"]["list"]["status"]>;

export const filters: readonly Filter[] = ["all", "active", "completed"];

const statusOfFilter: Record<Filter, TaskStatus> = {
  all: "all",
  active: "pending",
  completed: "completed",
};

/** Tasks shown per page; "load more" fetches the next page by its keyset cursor. */
export const PAGE_SIZE = 20;

/** What the URL asks for: `?filter=active&q=milk`. Anything unknown means "all" and no search. */
export interface ListView {
  filter: Filter;
  q: string;
}

export function viewOf(params: { get(name: string): string | null }): ListView {
  const filter = params.get("filter");
  return {
    filter: filters.includes(filter as Filter) ? (filter as Filter) : "all",
    q: (params.get("q") ?? "").trim(),
  };
}

export function listInput(view: ListView): RouterInputs["tasks"]["list"] {
  return {
    status: statusOfFilter[view.filter],
    limit: PAGE_SIZE,
    ...(view.q ? { q: view.q } : {}),
  };
}

export function hrefOf(view: ListView): string {
  const params = new URLSearchParams();
  if (view.filter !== "all") params.set("filter", view.filter);
  if (view.q) params.set("q", view.q);
  const query = params.toString();
  return query ? `?${query}` : "/";
}

/** Whether a task belongs in a list of this status and search (for optimistic inserts). */
export function matches(
  input: RouterInputs["tasks"]["list"],
  task: { title: string; completed: boolean },
) {
  if (input.status === "pending" && task.completed) return false;
  if (input.status === "completed" && !task.completed) return false;
  return !input.q || task.title.toLocaleLowerCase().includes(input.q.toLocaleLowerCase());
}

"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useTaskChanges } from "@tasks/client/react";
import { authClient } from "@/auth/client";
import type { FirstPage } from "./first-page";
import { filters, hrefOf, viewOf, type Filter, type ListView } from "./filters";
import { messageOf, problemOf } from "./problems";
import { TaskItem } from "./task-item";
import { useTaskActions } from "./use-task-actions";
import { useTaskCounts, useTaskList } from "./use-task-list";

const filterLabels: Record<Filter, string> = {
  all: "All",
  active: "Active",
  completed: "Completed",
};
const SEARCH_DELAY_MS = 250;

export function TaskApp(props: { email: string; first: FirstPage; firstView: ListView }) {
  const view = viewOf(useSearchParams());
  const router = useRouter();
  // Through Next's router, so back and forward (also across a reload) stay soft navigations.
  const navigate = (next: ListView, mode: "push" | "replace") =>
    router[mode](hrefOf(next), { scroll: false });
  const serverRendered = view.filter === props.firstView.filter && view.q === props.firstView.q;
  const list = useTaskList(view, serverRendered && props.first.ok ? props.first.page : undefined);
  const counts = useTaskCounts();
  const actions = useTaskActions();
  const [draft, setDraft] = useState("");
  const [search, setSearch] = useState(view.q);

  useEffect(() => {
    if (search.trim() === view.q) return;
    const timer = setTimeout(
      () => navigate({ ...view, q: search.trim() }, "replace"),
      SEARCH_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [search, view]);

  async function addTask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = draft.trim();
    if (!title) return;
    setDraft("");
    // Refused: give the text back unless the user has started typing another.
    if (!(await actions.create(title))) setDraft((current) => current || title);
  }

  const tasks = list.data?.pages.flatMap((page) => page.items) ?? [];
  const problem = list.error ?? actions.failure;
  const expired =
    (!props.first.ok && props.first.problem === "expired") ||
    ["expired", "refused"].includes(problemOf(problem) ?? "");
  // Changes from other tabs and devices, into every cached list and the counts (docs/web.md).
  useTaskChanges({ enabled: !expired });

  if (expired) return <SessionExpired message={messageOf(problem)} href={hrefOf(view)} />;
  return (
    <section className="todoapp" aria-labelledby="app-title">
      <header className="header">
        <div className="account">
          <span>Signed in as {props.email}</span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
        <h1 id="app-title">todos</h1>
        <form onSubmit={addTask}>
          <label htmlFor="new-todo" className="visually-hidden">
            New task
          </label>
          <input
            id="new-todo"
            className="new-todo"
            placeholder="What needs to be done?"
            autoComplete="off"
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
          />
        </form>
        <label htmlFor="search" className="visually-hidden">
          Search tasks
        </label>
        <input
          id="search"
          className="search"
          type="search"
          placeholder="Search"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
      </header>

      <Notice problem={problem} onDismiss={actions.failure ? actions.dismissFailure : undefined} />

      <main className="main">
        {counts && counts.all > 0 && (
          <p className="toggle-all-row">
            <input
              id="toggle-all"
              className="toggle-all"
              type="checkbox"
              checked={counts.pending === 0}
              onChange={(event) => void actions.setAllCompleted(event.currentTarget.checked)}
            />
            <label htmlFor="toggle-all">Mark all as complete</label>
          </p>
        )}
        {list.isPending ? (
          <p className="state" role="status">
            Loading tasks…
          </p>
        ) : tasks.length === 0 && !list.isError ? (
          <p className="state" role="status">
            {emptyText(view)}
          </p>
        ) : (
          <ul className="todo-list" aria-label="Tasks">
            {tasks.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                onRename={actions.rename}
                onSetCompleted={actions.setCompleted}
                onRemove={actions.remove}
              />
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <button
            type="button"
            className="load-more"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {list.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        )}
      </main>

      <footer className="footer">
        {counts && (
          <span className="todo-count" aria-live="polite">
            <strong>{counts.pending}</strong> {counts.pending === 1 ? "item" : "items"} left
          </span>
        )}
        <nav aria-label="Filter tasks">
          <ul className="filters">
            {filters.map((filter) => (
              <li key={filter}>
                <a
                  href={hrefOf({ ...view, filter })}
                  aria-current={view.filter === filter ? "page" : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate({ ...view, filter }, "push");
                  }}
                >
                  {filterLabels[filter]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {counts && counts.completed > 0 && (
          <button
            type="button"
            className="clear-completed"
            onClick={() => void actions.clearCompleted()}
          >
            Clear completed
          </button>
        )}
      </footer>
    </section>
  );
}

function emptyText(view: ListView): string {
  if (view.q) return `No tasks match “${view.q}”.`;
  if (view.filter === "active") return "No active tasks. Nice work.";
  if (view.filter === "completed") return "No completed tasks yet.";
  return "Nothing to do yet. Add a task above.";
}

function Notice(props: { problem: unknown; onDismiss: (() => void) | undefined }) {
  if (!props.problem) return null;
  const offline = problemOf(props.problem) === "offline";
  return (
    <div className={offline ? "notice offline" : "notice"} role="alert">
      <span>{messageOf(props.problem)}</span>
      {props.onDismiss && (
        <button type="button" onClick={props.onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

function SessionExpired(props: { message: string; href: string }) {
  return (
    <section className="todoapp panel" aria-labelledby="expired-title">
      <h1 id="expired-title">Session expired</h1>
      <p role="alert">{props.message}</p>
      <a className="button" href={props.href}>
        Sign in again
      </a>
    </section>
  );
}

async function signOut() {
  await authClient.signOut();
  window.location.assign("/");
}

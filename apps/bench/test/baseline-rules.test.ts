import { describe, expect, it } from "vitest";
import { encodeCursor } from "../baseline/cursor.ts";
import { buildListSql, parseListQuery, type ListQuery } from "../baseline/list-query.ts";
import { parseNewTask } from "../baseline/task-body.ts";

function parsed(input: Record<string, unknown>): ListQuery {
  const result = parseListQuery(input);
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe("baseline list query", () => {
  it("defaults to the 20 newest of all tasks", () => {
    expect(parsed({})).toEqual({
      completed: null,
      sort: "createdAt",
      descending: true,
      search: null,
      limit: 20,
      cursor: null,
    });
  });

  it.each([
    { limit: "0" },
    { limit: "101" },
    { limit: "2.5" },
    { status: "done" },
    { order: "up" },
    { page: "2" },
  ])("rejects %o", (input) => {
    expect(parseListQuery(input).ok).toBe(false);
  });

  it("asks for one row more than the page, newest first, scoped to the user", () => {
    const sql = buildListSql("user-1", parsed({ limit: "5" }));
    expect(sql.text).toContain("WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
    expect(sql.values).toEqual(["user-1", 6]);
  });

  it("continues after the cursor's keyset with a row comparison", () => {
    const cursor = encodeCursor({
      value: "2026-01-01T00:00:00.000Z",
      id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    });
    const sql = buildListSql("user-1", parsed({ cursor, status: "pending", q: "50%" }));
    expect(sql.text).toContain("(created_at, id) < ($4::timestamptz, $5::uuid)");
    expect(sql.values).toEqual([
      "user-1",
      false,
      "%50\\%%",
      "2026-01-01T00:00:00.000Z",
      "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      21,
    ]);
  });
});

describe("baseline create body", () => {
  it("trims the title and stores an empty description as null", () => {
    expect(parseNewTask({ title: "  Buy milk ", description: "" })).toEqual({
      ok: true,
      value: { title: "Buy milk", description: null, completed: false },
    });
  });

  it("names every broken rule, unknown fields included", () => {
    const result = parseNewTask({ title: "   ", completed: "yes", userId: "someone-else" });
    expect(result.ok).toBe(false);
    expect("errors" in result && result.errors.map((error) => error.path)).toEqual([
      "userId",
      "title",
      "completed",
    ]);
  });
});

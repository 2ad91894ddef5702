import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

interface TaskBody {
  id: string;
  completed: boolean;
  version: number;
}

describe.each(testDrivers())("REST counts and bulk changes (%s)", (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
  });
  afterAll(() => server.close());

  async function userWith(titles: string[], completed: string[] = []) {
    const token = await server.tokenFor(newUserId());
    const tasks: TaskBody[] = [];
    for (const [title, done] of [
      ...titles.map((title) => [title, false] as const),
      ...completed.map((title) => [title, true] as const),
    ]) {
      const reply = await server.request("POST", "/api/v1/tasks", {
        token,
        body: { title, completed: done },
      });
      tasks.push(reply.body as TaskBody);
    }
    return { token, tasks };
  }

  it("counts the caller's tasks, optionally those matching q", async () => {
    const { token } = await userWith(["milk", "bread", "oat milk"], ["milk tea"]);
    await userWith(["milk"]);
    const all = await server.request("GET", "/api/v1/tasks/counts", { token });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ all: 4, pending: 3, completed: 1 });
    const searched = await server.request("GET", "/api/v1/tasks/counts?q=MILK", { token });
    expect(searched.body).toEqual({ all: 3, pending: 2, completed: 1 });
  });

  it("refuses counts without a token, with a bad q or an unknown parameter", async () => {
    expect((await server.request("GET", "/api/v1/tasks/counts")).status).toBe(401);
    const { token } = await userWith([]);
    for (const query of ["q=" + "x".repeat(201), "status=all", "q=a&q=b", "q=%00"]) {
      const reply = await server.request("GET", `/api/v1/tasks/counts?${query}`, { token });
      expect([query, reply.status]).toEqual([query, 422]);
    }
  });

  it("PATCH /tasks sets completed on every differing task and says how many", async () => {
    const { token, tasks } = await userWith(["a", "b"], ["c"]);
    const reply = await server.request("PATCH", "/api/v1/tasks", {
      token,
      body: { completed: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ updated: 2 });
    const versions = await Promise.all(
      tasks.map(async (task) => {
        const got = await server.request("GET", `/api/v1/tasks/${task.id}`, { token });
        return (got.body as TaskBody).version;
      }),
    );
    expect(versions).toEqual([2, 2, 1]);
    const counts = await server.request("GET", "/api/v1/tasks/counts", { token });
    expect(counts.body).toEqual({ all: 3, pending: 0, completed: 3 });
  });

  it("DELETE /tasks?status= deletes the caller's tasks in that status", async () => {
    const { token } = await userWith(["p"], ["d1", "d2"]);
    const other = await userWith([], ["theirs"]);
    const reply = await server.request("DELETE", "/api/v1/tasks?status=completed", { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ deleted: 2 });
    const mine = await server.request("GET", "/api/v1/tasks/counts", { token });
    expect(mine.body).toEqual({ all: 1, pending: 1, completed: 0 });
    const theirs = await server.request("GET", "/api/v1/tasks/counts", { token: other.token });
    expect(theirs.body).toEqual({ all: 1, pending: 0, completed: 1 });
  });

  it("refuses bulk changes with a missing or bad field", async () => {
    const { token } = await userWith(["x"]);
    const cases = [
      ["DELETE", "/api/v1/tasks", undefined],
      ["DELETE", "/api/v1/tasks?status=done", undefined],
      ["PATCH", "/api/v1/tasks", {}],
      ["PATCH", "/api/v1/tasks", { completed: "yes" }],
      ["PATCH", "/api/v1/tasks", { completed: true, title: "all" }],
    ] as const;
    for (const [method, path, body] of cases) {
      const reply = await server.request(method, path, { token, body });
      expect([method, path, reply.status]).toEqual([method, path, 422]);
    }
    const missingBody = await server.request("PATCH", "/api/v1/tasks", { token });
    expect(missingBody.status).toBe(422);
    expect((await server.request("DELETE", "/api/v1/tasks?status=all")).status).toBe(401);
    const counts = await server.request("GET", "/api/v1/tasks/counts", { token });
    expect(counts.body).toEqual({ all: 1, pending: 1, completed: 0 });
  });

  it("a toggle-all racing single toggles and edits loses none of them", async () => {
    const { token, tasks } = await userWith(Array.from({ length: 12 }, (_, index) => `r${index}`));
    await Promise.all([
      server.request("PATCH", "/api/v1/tasks", { token, body: { completed: true } }),
      ...tasks.map((task) =>
        server.request("PATCH", `/api/v1/tasks/${task.id}`, { token, body: { title: "edited" } }),
      ),
    ]);
    const list = await server.request("GET", "/api/v1/tasks?limit=100", { token });
    const items = (list.body as { items: (TaskBody & { title: string })[] }).items;
    expect(items.map((task) => [task.title, task.completed, task.version])).toEqual(
      items.map(() => ["edited", true, 3]),
    );
  });
});

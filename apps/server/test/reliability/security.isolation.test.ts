import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer, type Reply } from "../support/server.ts";

const driver = testDrivers().includes("pg") ? "pg" : "pglite";

interface TaskBody {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  updatedAt: string;
}

/**
 * Alice holds Bob's task ids (as if leaked) and tries every route, filter, sort
 * and cursor to read, change or learn anything about Bob's tasks.
 */
describe(`one user cannot read or infer another's tasks (${driver})`, () => {
  let server: TestServer;
  const bob = { id: newUserId(), token: "" };
  const alice = { id: newUserId(), token: "" };
  const bobsTasks: TaskBody[] = [];
  const secrets = ["zebra-secret-title", "hidden-description-words"];

  beforeAll(async () => {
    server = await TestServer.start(driver);
    bob.token = await server.tokenFor(bob.id);
    alice.token = await server.tokenFor(alice.id);
    for (const index of [1, 2, 3]) {
      const reply = await server.request("POST", "/api/v1/tasks", {
        token: bob.token,
        body: { title: `${secrets[0]} ${index}`, description: secrets[1], completed: index === 2 },
      });
      bobsTasks.push(reply.body as TaskBody);
    }
    await server.request("POST", "/api/v1/tasks", {
      token: alice.token,
      body: { title: "alice's own" },
    });
  });
  afterAll(() => server.close());

  /** Nothing of Bob's task in a reply: no title, description or owner id. */
  function expectNothingOfBob(reply: Reply, label: string): void {
    for (const secret of [...secrets, bob.id]) expect(reply.text, label).not.toContain(secret);
  }

  it("every route on Bob's ids answers 403 with nothing of the task, and changes nothing", async () => {
    for (const task of bobsTasks) {
      const routes: [string, string, unknown][] = [
        ["GET", `/api/v1/tasks/${task.id}`, undefined],
        ["PUT", `/api/v1/tasks/${task.id}`, { title: "taken over" }],
        ["PATCH", `/api/v1/tasks/${task.id}`, { completed: true }],
        ["PATCH", `/api/v1/tasks/${task.id}/toggle`, undefined],
        ["DELETE", `/api/v1/tasks/${task.id}`, undefined],
      ];
      for (const [method, path, body] of routes) {
        const reply = await server.request(method, path, { token: alice.token, body });
        expect(reply.status, `${method} ${path}`).toBe(403);
        expectNothingOfBob(reply, `${method} ${path}`);
      }
      for (const [procedure, method] of [
        ["get", "GET"],
        ["update", "POST"],
        ["toggle", "POST"],
        ["delete", "POST"],
      ] as const) {
        const input =
          procedure === "update" ? { id: task.id, title: "taken over" } : { id: task.id };
        const path = `/trpc/tasks.${procedure}`;
        const reply =
          method === "GET"
            ? await server.request(
                "GET",
                `${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
                {
                  token: alice.token,
                },
              )
            : await server.request("POST", path, { token: alice.token, body: input });
        expect(reply.status, procedure).toBe(403);
        expectNothingOfBob(reply, procedure);
      }
      const still = await server.request("GET", `/api/v1/tasks/${task.id}`, { token: bob.token });
      expect(still.body).toEqual(task);
    }
  });

  it("no filter, sort, order, search or page size lists Bob's tasks", async () => {
    const queries: string[] = [];
    for (const status of ["all", "pending", "completed"]) {
      for (const sort of ["createdAt", "updatedAt", "title"]) {
        for (const order of ["asc", "desc"]) {
          for (const q of ["", "zebra", secrets[1], "%", "_", "secret"]) {
            queries.push(
              `status=${status}&sort=${sort}&order=${order}&limit=100${q ? `&q=${encodeURIComponent(q ?? "")}` : ""}`,
            );
          }
        }
      }
    }
    for (const query of queries) {
      const reply = await server.request("GET", `/api/v1/tasks?${query}`, { token: alice.token });
      expect(reply.status, query).toBe(200);
      const page = reply.body as { items: TaskBody[] };
      expect(
        page.items.every((item) => item.title === "alice's own"),
        query,
      ).toBe(true);
      expectNothingOfBob(reply, query);
    }
  });

  it("cursors from Bob's pages, or forged from his tasks, page only through Alice's tasks", async () => {
    const cursors: string[] = [];
    for (const sort of ["createdAt", "updatedAt", "title"]) {
      for (const order of ["asc", "desc"]) {
        const page = await server.request(
          "GET",
          `/api/v1/tasks?limit=1&sort=${sort}&order=${order}`,
          {
            token: bob.token,
          },
        );
        cursors.push(
          `sort=${sort}&order=${order}&cursor=${(page.body as { nextCursor: string }).nextCursor}`,
        );
        for (const task of bobsTasks) {
          const value = sort === "title" ? task.title : task.updatedAt;
          const forged = Buffer.from(
            JSON.stringify({ s: sort, o: order, v: value, i: task.id }),
          ).toString("base64url");
          cursors.push(`sort=${sort}&order=${order}&cursor=${forged}`);
        }
      }
    }
    for (const query of cursors) {
      const reply = await server.request("GET", `/api/v1/tasks?${query}`, { token: alice.token });
      expect(reply.status, query).toBe(200);
      const page = reply.body as { items: TaskBody[] };
      expect(
        page.items.every((item) => item.title === "alice's own"),
        query,
      ).toBe(true);
      expectNothingOfBob(reply, query);
    }
  });

  it("the owner comes only from the token: a userId in a body or query is refused", async () => {
    const create = await server.request("POST", "/api/v1/tasks", {
      token: alice.token,
      body: { title: "mine?", userId: bob.id },
    });
    expect(create.status).toBe(422);
    const list = await server.request("GET", `/api/v1/tasks?userId=${bob.id}`, {
      token: alice.token,
    });
    expect(list.status).toBe(422);
    const bobs = await server.request("GET", "/api/v1/tasks?limit=100", { token: bob.token });
    expect((bobs.body as { items: TaskBody[] }).items).toHaveLength(bobsTasks.length);
  });

  it("an id that exists nowhere and an id of Bob's differ only in status: 404 vs 403, same body shape", async () => {
    const missing = await server.request("GET", `/api/v1/tasks/${randomUUID()}`, {
      token: alice.token,
    });
    const foreign = await server.request("GET", `/api/v1/tasks/${bobsTasks[0]?.id}`, {
      token: alice.token,
    });
    expect(missing.status).toBe(404);
    expect(foreign.status).toBe(403);
    expect(Object.keys(missing.body as object)).toEqual(["detail"]);
    expect(Object.keys(foreign.body as object)).toEqual(["detail"]);
  });
});

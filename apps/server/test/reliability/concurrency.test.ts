import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "../support/server.ts";
import { runWorkers } from "./support/load.ts";

interface TaskBody {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
}

const driver = testDrivers().includes("pg") ? "pg" : "pglite";

describe(`concurrent clients on one task and one table (${driver})`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver, { env: { RATE_LIMIT_MAX: "1000000" } });
  });
  afterAll(() => server.close());

  async function createTask(token: string, title: string): Promise<TaskBody> {
    const reply = await server.request("POST", "/api/v1/tasks", { token, body: { title } });
    expect(reply.status).toBe(201);
    return reply.body as TaskBody;
  }

  it("toggles and updates from many clients end in a state some serial order gives", async () => {
    const token = await server.tokenFor(newUserId());
    const task = await createTask(token, "contended");
    const TOGGLES = 41;
    const UPDATES = 24;
    const calls = [
      ...Array.from({ length: TOGGLES }, () =>
        server.request("PATCH", `/api/v1/tasks/${task.id}/toggle`, { token }),
      ),
      ...Array.from({ length: UPDATES }, (_, index) =>
        server.request(index % 2 === 0 ? "PUT" : "PATCH", `/api/v1/tasks/${task.id}`, {
          token,
          body: { title: `title ${index}`, description: `description ${index}` },
        }),
      ),
    ];
    const replies = await Promise.all(calls);
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));

    // Serial toggles from `false` answer true, false, true, ...: as many of each as that gives.
    const toggled = replies.slice(0, TOGGLES).map((reply) => (reply.body as TaskBody).completed);
    expect(toggled.filter(Boolean)).toHaveLength(Math.ceil(TOGGLES / 2));
    const final = (await server.request("GET", `/api/v1/tasks/${task.id}`, { token }))
      .body as TaskBody;
    expect(final.completed).toBe(TOGGLES % 2 === 1);
    // The last update wins whole: a title and a description from the same request.
    const index = Number(final.title.replace("title ", ""));
    expect(final.description).toBe(`description ${index}`);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(index).toBeLessThan(UPDATES);
  });

  it("an even number of concurrent toggles leaves the task as it started", async () => {
    const token = await server.tokenFor(newUserId());
    const task = await createTask(token, "even");
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        server.request("PATCH", `/api/v1/tasks/${task.id}/toggle`, { token }),
      ),
    );
    expect(new Set(replies.map((reply) => reply.status))).toEqual(new Set([200]));
    const final = await server.request("GET", `/api/v1/tasks/${task.id}`, { token });
    expect((final.body as TaskBody).completed).toBe(false);
  });

  it("concurrent creates are all stored once, and keyset pages walked meanwhile skip or repeat none", async () => {
    const token = await server.tokenFor(newUserId());
    const existing = new Set<string>();
    for (let index = 0; index < 40; index += 1) {
      existing.add((await createTask(token, `existing ${index}`)).id);
    }

    const created: string[] = [];
    let counter = 0;
    const creating = runWorkers(
      16,
      () => counter < 320,
      async () => {
        counter += 1;
        created.push((await createTask(token, `new ${counter}`)).id);
      },
    );
    const walked = await walkPages(token);
    await creating;

    expect(new Set(created).size).toBe(created.length);
    const seenExisting = walked.filter((id) => existing.has(id));
    expect(new Set(walked).size).toBe(walked.length);
    expect(new Set(seenExisting)).toEqual(existing);

    const everything = await walkPages(token);
    expect(everything).toHaveLength(existing.size + created.length);
    expect(new Set(everything)).toEqual(new Set([...existing, ...created]));
  });

  async function walkPages(token: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const reply = await server.request("GET", `/api/v1/tasks?limit=7&order=asc${query}`, {
        token,
      });
      expect(reply.status).toBe(200);
      const page = reply.body as { items: TaskBody[]; nextCursor: string | null };
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
});

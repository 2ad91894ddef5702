import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

interface TaskBody {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

interface PageBody {
  items: TaskBody[];
  nextCursor: string | null;
}

describe.each(testDrivers())("REST happy paths (%s)", (driver) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    token = await server.tokenFor(newUserId());
  });
  afterAll(() => server.close());

  async function create(body: object): Promise<TaskBody> {
    const reply = await server.request("POST", "/api/v1/tasks", { token, body });
    expect(reply.status).toBe(201);
    return reply.body as TaskBody;
  }

  it("creates a task: 201, Location, trimmed title, defaults", async () => {
    const reply = await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "  Write the report  ", description: "" },
    });
    expect(reply.status).toBe(201);
    const task = reply.body as TaskBody;
    expect(reply.headers.get("location")).toBe(`/api/v1/tasks/${task.id}`);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(task).toMatchObject({ title: "Write the report", description: null, completed: false });
    expect(new Date(task.createdAt).toISOString()).toBe(task.createdAt);
    expect(task.updatedAt).toBe(task.createdAt);
  });

  it("gets a task by the Location it was created at", async () => {
    const created = await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "Find me" },
    });
    const location = created.headers.get("location") ?? "";
    const reply = await server.request("GET", location, { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(created.body);
  });

  it("updates with PUT and with PATCH; fields left out keep their value", async () => {
    const task = await create({ title: "Draft", description: "first" });
    const put = await server.request("PUT", `/api/v1/tasks/${task.id}`, {
      token,
      body: { title: "Final" },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: task.id,
      title: "Final",
      description: "first",
      completed: false,
    });

    const patch = await server.request("PATCH", `/api/v1/tasks/${task.id}`, {
      token,
      body: { completed: true, description: null },
    });
    expect(patch.status).toBe(200);
    const patched = patch.body as TaskBody;
    expect(patched).toMatchObject({ title: "Final", description: null, completed: true });
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.updatedAt));
  });

  it("toggles with no body, an empty JSON body and {}", async () => {
    const task = await create({ title: "Flip me" });
    const path = `/api/v1/tasks/${task.id}/toggle`;

    const noBody = await server.request("PATCH", path, { token });
    expect(noBody.status).toBe(200);
    expect((noBody.body as TaskBody).completed).toBe(true);

    const emptyJson = await server.request("PATCH", path, {
      token,
      rawBody: "",
      headers: { "content-type": "application/json" },
    });
    expect(emptyJson.status).toBe(200);
    expect((emptyJson.body as TaskBody).completed).toBe(false);

    const emptyObject = await server.request("PATCH", path, { token, body: {} });
    expect(emptyObject.status).toBe(200);
    expect((emptyObject.body as TaskBody).completed).toBe(true);
  });

  it("deletes: 204 with no body, then the task is gone", async () => {
    const task = await create({ title: "Delete me" });
    const reply = await server.request("DELETE", `/api/v1/tasks/${task.id}`, { token });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    const after = await server.request("GET", `/api/v1/tasks/${task.id}`, { token });
    expect(after.status).toBe(404);
  });

  it("lists only the caller's tasks, filtered, sorted and paged by cursor", async () => {
    const owner = await server.tokenFor(newUserId());
    const other = await server.tokenFor(newUserId());
    const titles = ["alpha report", "beta", "gamma report", "delta", "epsilon report"];
    for (const title of titles) {
      await server.request("POST", "/api/v1/tasks", {
        token: owner,
        body: { title, completed: title === "beta" },
      });
    }
    await server.request("POST", "/api/v1/tasks", {
      token: other,
      body: { title: "someone else's report" },
    });

    const first = await server.request(
      "GET",
      "/api/v1/tasks?q=REPORT&sort=title&order=asc&limit=2",
      {
        token: owner,
      },
    );
    expect(first.status).toBe(200);
    const page1 = first.body as PageBody;
    expect(page1.items.map((task) => task.title)).toEqual(["alpha report", "epsilon report"]);
    expect(page1.nextCursor).toEqual(expect.any(String));

    const cursor = encodeURIComponent(page1.nextCursor ?? "");
    const second = await server.request(
      "GET",
      `/api/v1/tasks?q=REPORT&sort=title&order=asc&limit=2&cursor=${cursor}`,
      {
        token: owner,
      },
    );
    const page2 = second.body as PageBody;
    expect(page2.items.map((task) => task.title)).toEqual(["gamma report"]);
    expect(page2.nextCursor).toBeNull();

    const completed = await server.request("GET", "/api/v1/tasks?status=completed", {
      token: owner,
    });
    expect((completed.body as PageBody).items.map((task) => task.title)).toEqual(["beta"]);

    const all = await server.request("GET", "/api/v1/tasks", { token: owner });
    expect((all.body as PageBody).items).toHaveLength(titles.length);
  });
});

import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

interface TaskBody {
  id: string;
  title: string;
  completed: boolean;
  version: number;
}

const MISSING_ID = "0190c7e4-1b6d-7c2a-9a35-1a2b3c4d5e6f";

describe.each(testDrivers())("REST versions and conditional requests (%s)", (driver) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    token = await server.tokenFor(newUserId());
  });
  afterAll(() => server.close());

  async function create(title = "conditional"): Promise<TaskBody> {
    const reply = await server.request("POST", "/api/v1/tasks", { token, body: { title } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get("etag")).toBe('"1"');
    return reply.body as TaskBody;
  }
  const path = (task: { id: string }) => `/api/v1/tasks/${task.id}`;

  it("sends ETag with every single-task response, following the version", async () => {
    const task = await create();
    expect(task.version).toBe(1);
    const got = await server.request("GET", path(task), { token });
    expect(got.headers.get("etag")).toBe('"1"');
    const put = await server.request("PUT", path(task), { token, body: { title: "same" } });
    expect([put.headers.get("etag"), (put.body as TaskBody).version]).toEqual(['"2"', 2]);
    const patch = await server.request("PATCH", path(task), { token, body: { title: "same" } });
    expect(patch.headers.get("etag")).toBe('"3"');
    const toggled = await server.request("PATCH", `${path(task)}/toggle`, { token });
    expect(toggled.headers.get("etag")).toBe('"4"');
    const list = await server.request("GET", "/api/v1/tasks", { token });
    expect(list.headers.get("etag")).toBeNull();
  });

  it("answers GET with a matching If-None-Match with 304 and no body", async () => {
    const task = await create();
    for (const ifNoneMatch of ['"1"', 'W/"1"', '"7", "1"', "*"]) {
      const reply = await server.request("GET", path(task), {
        token,
        headers: { "if-none-match": ifNoneMatch },
      });
      expect(reply.status).toBe(304);
      expect(reply.text).toBe("");
      expect(reply.headers.get("etag")).toBe('"1"');
    }
    await server.request("PATCH", `${path(task)}/toggle`, { token });
    const changed = await server.request("GET", path(task), {
      token,
      headers: { "if-none-match": '"1"' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, completed: true });
  });

  it("applies PUT, PATCH, toggle and DELETE under a matching If-Match", async () => {
    const task = await create();
    const ifMatch = (etag: string) => ({ token, headers: { "if-match": etag } });
    const put = await server.request("PUT", path(task), {
      ...ifMatch('"1"'),
      body: { title: "v2" },
    });
    expect(put.status).toBe(200);
    const patch = await server.request("PATCH", path(task), {
      ...ifMatch('"5", "2"'),
      body: { completed: true },
    });
    expect(patch.status).toBe(200);
    const toggle = await server.request("PATCH", `${path(task)}/toggle`, ifMatch("*"));
    expect(toggle.body).toMatchObject({ completed: false, version: 4 });
    const removed = await server.request("DELETE", path(task), ifMatch('"4"'));
    expect(removed.status).toBe(204);
  });

  it("refuses a stale, weak or malformed If-Match with 412 and changes nothing", async () => {
    const task = await create("keep");
    await server.request("PUT", path(task), { token, body: { title: "kept" } });
    for (const ifMatch of ['"1"', 'W/"2"', "2", '"x"', '"1", "3"', '""']) {
      for (const [method, suffix, body] of [
        ["PUT", "", { title: "lost" }],
        ["PATCH", "", { completed: true }],
        ["PATCH", "/toggle", undefined],
        ["DELETE", "", undefined],
      ] as const) {
        const reply = await server.request(method, `${path(task)}${suffix}`, {
          token,
          body,
          headers: { "if-match": ifMatch },
        });
        expect([ifMatch, method, suffix, reply.status]).toEqual([ifMatch, method, suffix, 412]);
        expect((reply.body as { detail: string }).detail).toMatch(/version/);
      }
    }
    const stored = await server.request("GET", path(task), { token });
    expect(stored.body).toMatchObject({ title: "kept", completed: false, version: 2 });
  });

  it("orders the checks: 401, then 422, then 404/403, then 412", async () => {
    const task = await create();
    const stale = { "if-match": '"9"' };
    const noToken = await server.request("PUT", path(task), {
      body: { title: 5 },
      headers: stale,
    });
    expect(noToken.status).toBe(401);
    const invalid = await server.request("PUT", "/api/v1/tasks/not-a-uuid", {
      token,
      body: { title: "x" },
      headers: stale,
    });
    expect(invalid.status).toBe(422);
    const badBody = await server.request("PUT", path(task), {
      token,
      body: { title: "" },
      headers: stale,
    });
    expect(badBody.status).toBe(422);
    for (const ifMatch of ['"9"', '"1", "2"', "*"]) {
      const missing = await server.request("DELETE", `/api/v1/tasks/${MISSING_ID}`, {
        token,
        headers: { "if-match": ifMatch },
      });
      expect(missing.status).toBe(404);
      const others = await server.request("PATCH", `${path(task)}/toggle`, {
        token: await server.tokenFor(newUserId()),
        headers: { "if-match": ifMatch },
      });
      expect(others.status).toBe(403);
    }
    const stalePut = await server.request("PUT", path(task), {
      token,
      body: { title: "x" },
      headers: stale,
    });
    expect(stalePut.status).toBe(412);
  });

  it("lets one of two concurrent PUTs with one If-Match win: one 200, one 412", async () => {
    const task = await create();
    const replies = await Promise.all(
      ["first", "second"].map((title) =>
        server.request("PUT", path(task), {
          token,
          body: { title },
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 412]);
    const winner = replies.find((reply) => reply.status === 200);
    const stored = await server.request("GET", path(task), { token });
    expect(stored.body).toEqual(winner?.body);
    expect(stored.headers.get("etag")).toBe('"2"');
  });
});

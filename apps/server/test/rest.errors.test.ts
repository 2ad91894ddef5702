import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer, type Reply } from "./support/server.ts";

interface ProblemBody {
  detail: string;
  errors?: { path: string; message: string }[];
}

function expectProblem(reply: Reply, status: number): ProblemBody {
  expect(reply.status).toBe(status);
  expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
  const body = reply.body as ProblemBody;
  expect(body.detail).toEqual(expect.any(String));
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

describe.each(testDrivers())("REST errors (%s)", (driver) => {
  const BODY_LIMIT = 2048;
  let server: TestServer;
  let token: string;
  let taskId: string;

  beforeAll(async () => {
    server = await TestServer.start(driver, { env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    token = await server.tokenFor(newUserId());
    const created = await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "Mine" },
    });
    taskId = (created.body as { id: string }).id;
  });
  afterAll(() => server.close());

  it("400 for malformed JSON", async () => {
    const reply = await server.request("POST", "/api/v1/tasks", {
      token,
      rawBody: '{"title": "unterminated',
      headers: { "content-type": "application/json" },
    });
    expect(expectProblem(reply, 400).detail).toMatch(/not valid JSON/);
  });

  it("403 for another user's task, on every route that names one", async () => {
    const stranger = await server.tokenFor(newUserId());
    const path = `/api/v1/tasks/${taskId}`;
    const calls: [string, string, object | undefined][] = [
      ["GET", path, undefined],
      ["PUT", path, { title: "Stolen" }],
      ["PATCH", path, { completed: true }],
      ["PATCH", `${path}/toggle`, undefined],
      ["DELETE", path, undefined],
    ];
    for (const [method, url, body] of calls) {
      expectProblem(await server.request(method, url, { token: stranger, body }), 403);
    }
    const unchanged = await server.request("GET", path, { token });
    expect(unchanged.body).toMatchObject({ title: "Mine", completed: false });
  });

  it("404 for a task that does not exist and for an unknown route", async () => {
    expectProblem(await server.request("GET", `/api/v1/tasks/${randomUUID()}`, { token }), 404);
    expectProblem(await server.request("DELETE", `/api/v1/tasks/${randomUUID()}`, { token }), 404);
    const unknown = expectProblem(
      await server.request("GET", "/api/v1/nothing-here", { token }),
      404,
    );
    expect(unknown.detail).toContain("/api/v1/nothing-here");
    expectProblem(await server.request("GET", "/api/v1/tasks/a/b/c", { token }), 404);
  });

  it("405 with Allow for a known path and a method it does not serve", async () => {
    const cases = [
      ["POST", `/api/v1/tasks/${randomUUID()}`, "GET, HEAD, PUT, PATCH, DELETE"],
      ["PUT", "/api/v1/tasks", "GET, HEAD, POST, PATCH, DELETE"],
      ["DELETE", `/api/v1/tasks/${randomUUID()}/toggle`, "PATCH"],
      ["POST", "/health", "GET, HEAD"],
    ] as const;
    for (const [method, path, allowed] of cases) {
      const reply = await server.request(method, path, { token, body: {} });
      expect(expectProblem(reply, 405).detail).toBe(
        `${method} is not allowed on this path; it allows ${allowed}.`,
      );
      expect(reply.headers.get("allow")).toBe(allowed);
    }
  });

  it("413 for a body over BODY_LIMIT_BYTES", async () => {
    const reply = await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "big", description: "x".repeat(BODY_LIMIT) },
    });
    expect(expectProblem(reply, 413).detail).toContain(String(BODY_LIMIT));
  });

  it("415 for a body that is not application/json", async () => {
    const text = await server.request("POST", "/api/v1/tasks", {
      token,
      rawBody: "title=hello",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(text, 415);
    const plain = await server.request("PUT", `/api/v1/tasks/${taskId}`, {
      token,
      rawBody: '{"title":"x"}',
      headers: { "content-type": "text/plain" },
    });
    expectProblem(plain, 415);
  });

  it("422 with errors[] for bodies that break the rules", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/tasks", { title: "   " }, "title"],
      ["POST", "/api/v1/tasks", { title: "x".repeat(201) }, "title"],
      ["POST", "/api/v1/tasks", { title: "ok", description: "d".repeat(1001) }, "description"],
      ["POST", "/api/v1/tasks", { title: "ok", completed: "yes" }, "completed"],
      ["POST", "/api/v1/tasks", { title: "ok", userId: "someone" }, ""],
      ["PUT", `/api/v1/tasks/${taskId}`, {}, ""],
      ["PATCH", `/api/v1/tasks/${taskId}`, { id: randomUUID(), title: "moved" }, ""],
      ["PATCH", `/api/v1/tasks/${taskId}/toggle`, { completed: true }, ""],
    ];
    for (const [method, url, body, path] of cases) {
      const problem = expectProblem(await server.request(method, url, { token, body }), 422);
      expect(problem.errors?.length, `${method} ${url} ${JSON.stringify(body)}`).toBeGreaterThan(0);
      expect(problem.errors?.map((issue) => issue.path)).toContain(path);
    }
  });

  it("422 for a create without a body", async () => {
    const problem = expectProblem(await server.request("POST", "/api/v1/tasks", { token }), 422);
    expect(problem.errors).toEqual([{ path: "", message: "A JSON body is required." }]);
  });

  it("422 for a malformed id and a bad query", async () => {
    const id = expectProblem(
      await server.request("GET", "/api/v1/tasks/not-a-uuid", { token }),
      422,
    );
    expect(id.errors?.[0]?.path).toBe("id");
    for (const query of [
      "limit=0",
      "limit=101",
      "limit=abc",
      "status=done",
      "sort=owner",
      "order=up",
      "extra=1",
    ]) {
      const reply = await server.request("GET", `/api/v1/tasks?${query}`, { token });
      expect(expectProblem(reply, 422).errors?.length, query).toBeGreaterThan(0);
    }
    const cursor = expectProblem(
      await server.request("GET", "/api/v1/tasks?cursor=garbage", { token }),
      422,
    );
    expect(cursor.errors?.[0]?.path).toBe("cursor");
  });

  it("puts x-request-id on error responses too", async () => {
    const reply = await server.request("GET", "/api/v1/tasks/not-a-uuid", {
      token,
      headers: { "x-request-id": "trace-422" },
    });
    expect(reply.headers.get("x-request-id")).toBe("trace-422");
  });
});

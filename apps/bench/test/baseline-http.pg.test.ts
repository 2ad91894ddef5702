// The baseline as the bench runs it: a child process on a fresh database, real
// keys, real HTTP; and the load runner's verdict on a clean and a failing run.
import { requiredServiceUrl } from "@tasks/vitest-config";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/config.ts";
import { createBenchDatabase, type BenchDatabase } from "../src/database.ts";
import { createSigningKeys, type SigningKeys } from "../src/keys.ts";
import { chooseLoadGenerator } from "../src/load.ts";
import { migrateDatabase } from "../src/migrate.ts";
import { rest, type LoadFixture } from "../src/requests.ts";
import { startServer, type RunningServer } from "../src/server-process.ts";
import { BASELINE_SERVER } from "../src/targets.ts";
import { commonEnv } from "../src/target-env.ts";

/** The baseline is PostgreSQL-only. */
const adminUrl = requiredServiceUrl("postgres");

let database: BenchDatabase;
let keys: SigningKeys;
let server: RunningServer;
let alice: Record<string, string>;
let bob: Record<string, string>;

interface TaskBody {
  id: string;
  title: string;
  completed: boolean;
  version: number;
  createdAt: string;
}

async function call(path: string, headers: Record<string, string>, init: RequestInit = {}) {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { ...headers, ...init.headers },
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

async function create(headers: Record<string, string>, title: string): Promise<TaskBody> {
  const init = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title }),
  };
  const { response, body } = await call("/api/v1/tasks", headers, init);
  expect(response.status).toBe(201);
  expect(response.headers.get("location")).toBe(`/api/v1/tasks/${String(body.id)}`);
  return body as unknown as TaskBody;
}

beforeAll(async () => {
  database = await createBenchDatabase(adminUrl);
  await migrateDatabase(database.url);
  keys = await createSigningKeys();
  alice = { authorization: `Bearer ${await keys.sign("alice")}` };
  bob = { authorization: `Bearer ${await keys.sign("bob")}` };
  const env = { ...commonEnv(keys.publicKeyPem), DATABASE_URL: database.url };
  server = await startServer(BASELINE_SERVER, env, REPO_ROOT);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("baseline over HTTP", () => {
  it("answers /health and refuses a request without a token", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const { response, body } = await call("/api/v1/tasks", {});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(body.detail).toMatch(/Authorization/);
  });

  it("creates, gets and toggles a task, for its owner only", async () => {
    const task = await create(alice, "  Write the bench ");
    expect([task.title, task.completed]).toEqual(["Write the bench", false]);
    expect((await call(`/api/v1/tasks/${task.id}`, alice)).body).toEqual(task);
    expect((await call(`/api/v1/tasks/${task.id}`, bob)).response.status).toBe(403);
    expect((await call("/api/v1/tasks/not-a-uuid", alice)).response.status).toBe(422);
    const toggled = await call(`/api/v1/tasks/${task.id}/toggle`, alice, { method: "PATCH" });
    expect(toggled.body.completed).toBe(true);
    expect(
      (await call(`/api/v1/tasks/${task.id}/toggle`, bob, { method: "PATCH" })).response.status,
    ).toBe(403);
  });

  it("does the contract's work for each write: version, outbox event, NOTIFY", async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    try {
      await listener.query("LISTEN task_events");
      const notified = new Promise<string | undefined>((resolve) =>
        listener.once("notification", (message) => resolve(message.payload)),
      );
      const carol = { authorization: `Bearer ${await keys.sign("carol")}` };
      const task = await create(carol, "Outbox");
      const toggled = await call(`/api/v1/tasks/${task.id}/toggle`, carol, { method: "PATCH" });
      expect([task.version, toggled.body.version]).toEqual([1, 2]);
      expect(await notified).toBe("carol");
      const events = await listener.query<{ id: string; type: string; version: number }>(
        "SELECT id::text, type, version FROM task_events WHERE user_id = 'carol' ORDER BY id",
      );
      expect(events.rows).toEqual([
        { id: "1", type: "created", version: 1 },
        { id: "2", type: "updated", version: 2 },
      ]);
    } finally {
      await listener.end();
    }
  });

  it("pages the newest tasks through the cursor without repeats", async () => {
    const titles = ["one", "two", "three", "four", "five"];
    for (const title of titles) await create(bob, title);
    const first = await call("/api/v1/tasks?limit=3", bob);
    const second = await call(`/api/v1/tasks?limit=3&cursor=${String(first.body.nextCursor)}`, bob);
    const seen = [first, second].flatMap((page) =>
      (page.body.items as TaskBody[]).map((task) => task.title),
    );
    expect(seen).toEqual([...titles].reverse());
    expect(second.body.nextCursor).toBeNull();
  });

  it("serves the batched tRPC scenario's three calls in one request", async () => {
    const task = await create(alice, "batched");
    const input = encodeURIComponent(
      JSON.stringify({ 0: { limit: 1 }, 1: { id: task.id }, 2: { id: task.id } }),
    );
    const response = await fetch(
      `${server.url}/trpc/tasks.list,tasks.get,tasks.get?batch=1&input=${input}`,
      {
        headers: alice,
      },
    );
    const results = (await response.json()) as { result: { data: unknown } }[];
    expect(response.status).toBe(200);
    expect(results.map((entry) => entry.result.data)).toEqual([
      { items: [task], nextCursor: expect.any(String) },
      task,
      task,
    ]);
  });
});

const generators = [chooseLoadGenerator(undefined, 2), chooseLoadGenerator("autocannon", 1)];

describe.each(generators)("load runner ($description) against the baseline", (generator) => {
  const load = (fixture: LoadFixture, connections: number, distinctRequests: number) =>
    generator.run({
      url: server.url,
      connections,
      seconds: 1,
      next: (n) => rest.get(fixture, n),
      distinctRequests,
    });

  it("reports throughput, its own CPU share and no errors on a clean run", async () => {
    const task = await create(alice, "load me");
    const fixture = { tokens: [alice.authorization?.slice(7) ?? ""], taskIds: [[task.id]] };
    const result = await load(fixture, 4, 1);
    expect(result.errors).toBe(0);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(result.generatorCpu).toBeGreaterThan(0);
  });

  it("counts non-2xx responses as errors and says what failed", async () => {
    const fixture = {
      tokens: ["not-a-token"],
      taskIds: [["0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"]],
    };
    const result = await load(fixture, 2, 1);
    expect(result.errors).toBe(result.requests);
    expect(result.firstFailure).toMatch(
      generator.fallback ? /^GET \/api\/v1\/tasks\/0193a1b2-.* -> 401 / : /^response 401 \{/,
    );
  });

  it("rotates over the fixture's tokens: one user of two unauthorised fails half the requests", async () => {
    const task = await create(alice, "half of the load");
    const fixture = {
      tokens: [alice.authorization?.slice(7) ?? "", "not-a-token"],
      taskIds: [[task.id], [task.id]],
    };
    const result = await load(fixture, 4, 2);
    expect(result.errors / result.requests).toBeGreaterThan(0.4);
    expect(result.errors / result.requests).toBeLessThan(0.6);
  });
});

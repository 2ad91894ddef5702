import { request as httpRequest } from "node:http";
import { Prisma, type Database } from "@tasks/db";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer, type Reply } from "./support/server.ts";

interface TaskBody {
  id: string;
  title: string;
  version: number;
}

const key = () => `rest-${Math.random().toString(36).slice(2)}`;

describe.each(testDrivers())("REST idempotent creates (%s)", (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
  });
  afterAll(() => server.close());

  const create = (token: string, body: unknown, idempotencyKey?: string) =>
    server.request("POST", "/api/v1/tasks", {
      token,
      body,
      headers: idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey },
    });
  const countOf = async (token: string) =>
    ((await server.request("GET", "/api/v1/tasks/counts", { token })).body as { all: number }).all;

  it("replays the first response: 201, same task and Location, Idempotent-Replayed", async () => {
    const token = await server.tokenFor(newUserId());
    const idempotencyKey = key();
    const first = await create(token, { title: "pay rent" }, idempotencyKey);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    await server.request("PUT", `/api/v1/tasks/${(first.body as TaskBody).id}`, {
      token,
      body: { title: "changed since" },
    });
    const retry = await create(token, { title: "pay rent" }, idempotencyKey);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    expect(retry.headers.get("etag")).toBe('"1"');
    expect(await countOf(token)).toBe(1);
  });

  it("answers the same key with another body with 422 and creates nothing", async () => {
    const token = await server.tokenFor(newUserId());
    const idempotencyKey = key();
    await create(token, { title: "first" }, idempotencyKey);
    const reply = await create(token, { title: "second" }, idempotencyKey);
    expect(reply.status).toBe(422);
    expect((reply.body as { detail: string }).detail).toMatch(/idempotency key/i);
    expect(await countOf(token)).toBe(1);
  });

  it("shares one key space per user with tRPC's idempotencyKey", async () => {
    const token = await server.tokenFor(newUserId());
    const idempotencyKey = key();
    const viaTrpc = await fetch(`${server.url}/trpc/tasks.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "both", idempotencyKey }),
    });
    const created = ((await viaTrpc.json()) as { result: { data: TaskBody } }).result.data;
    const viaRest = await create(token, { title: "both" }, idempotencyKey);
    expect(viaRest.headers.get("idempotent-replayed")).toBe("true");
    expect(viaRest.body).toEqual(created);
    const again = await fetch(`${server.url}/trpc/tasks.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "both", idempotencyKey }),
    });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await countOf(token)).toBe(1);
  });

  it("makes one task of 10 concurrent creates with one key", async () => {
    const token = await server.tokenFor(newUserId());
    const idempotencyKey = key();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => create(token, { title: "burst" }, idempotencyKey)),
    );
    const statuses = new Set(replies.map((reply) => reply.status));
    expect([...statuses].every((status) => status === 201 || status === 409)).toBe(true);
    const ids = new Set(
      replies.filter((reply) => reply.status === 201).map((reply) => (reply.body as TaskBody).id),
    );
    expect(ids.size).toBe(1);
    expect(await countOf(token)).toBe(1);
  });

  /** node:http sends a header's latin-1 bytes as they are (fetch refuses them). */
  function rawCreate(token: string, idempotencyKey: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ title: "bad key" });
      const request = httpRequest(`${server.url}/api/v1/tasks`, {
        method: "POST",
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end(body);
    });
  }

  it("refuses a malformed key with 422, after the token and with the body's problems", async () => {
    const token = await server.tokenFor(newUserId());
    expect(await rawCreate("", "caf\u00e9")).toBe(401);
    expect(await rawCreate(token, "caf\u00e9")).toBe(422);
    for (const bad of ["x".repeat(256), "a\tb", " "]) {
      const reply = await create(token, { title: "bad key" }, bad);
      expect(reply.status).toBe(422);
      expect(JSON.stringify(reply.body)).toMatch(/idempotency/i);
    }
    expect((await create(token, { title: "" }, key())).status).toBe(422);
    const inBody = await create(token, { title: "x", idempotencyKey: key() });
    expect(inBody.status).toBe(422);
    expect(await countOf(token)).toBe(0);
  });
});

describe.each(testDrivers().filter((driver) => driver !== "pglite"))(
  "REST create with a key in flight (%s)",
  (driver) => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(driver);
    });
    afterAll(() => server.close());

    it("answers 409 while the first request runs, then replays it", async () => {
      const token = await server.tokenFor(newUserId());
      const send = (): Promise<Reply> =>
        server.request("POST", "/api/v1/tasks", {
          token,
          body: { title: "slow" },
          headers: { "idempotency-key": "held" },
        });
      let first: Promise<Reply> | undefined;
      // Another session holds up every insert into tasks: the first create stays in flight.
      await server.db.transaction(async (tx) => {
        await tx.sql(Prisma.sql`LOCK TABLE tasks IN SHARE MODE`);
        first = send();
        await waitForLockWait(server.db);
        const busy = await send();
        expect(busy.status).toBe(409);
        expect((busy.body as { detail: string }).detail).toMatch(/still being processed/);
      });
      const created = await first;
      expect(created?.status).toBe(201);
      const replay = await send();
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(replay.body).toEqual(created?.body);
    });
  },
);

async function waitForLockWait(db: Database): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const [row] = await db.sql<{ waiting: number }>(Prisma.sql`SELECT count(*)::int AS waiting
      FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
    if ((row?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the create never waited for the lock");
}

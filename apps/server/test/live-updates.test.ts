import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestEventStream, TrpcSubscriber, type ReceivedEvent } from "./support/event-streams.ts";
import { newUserId, TestServer } from "./support/server.ts";

const KEEPALIVE_MS = 1_000;
const MAX_STREAMS = 3;
const env = { LIVE_KEEPALIVE_MS: String(KEEPALIVE_MS), LIVE_STREAMS_PER_USER: String(MAX_STREAMS) };

function idsOf(events: ReceivedEvent[]): string[] {
  return events.map((item) => item.id);
}

function taskIdsOf(events: ReceivedEvent[]): (string | null)[] {
  return events.map((item) => ("id" in item.event ? item.event.id : null));
}

/**
 * PGlite alone (one instance owns it), and two instances on one PostgreSQL, each
 * with its own LISTEN connection: every test runs its change through one
 * instance and listens on all of them.
 */
describe.each(testDrivers().filter((driver) => driver !== "neon"))(
  "live updates on %s",
  (driver) => {
    let database: TestDatabase;
    let servers: TestServer[];
    /** The instance changes go through where a test needs only one. */
    let first: TestServer;
    let last: TestServer;

    beforeAll(async () => {
      database = await createTestDatabase(driver);
      first = await TestServer.start(driver, {
        db: database.db,
        env,
        live: { listenUrl: database.url },
      });
      servers = [first];
      if (driver === "pg") {
        servers.push(
          await TestServer.start(driver, {
            db: database.db,
            env,
            issuer: first.issuer,
            live: { listenUrl: database.url },
          }),
        );
      }
      last = servers.at(-1) ?? first;
    });
    afterAll(async () => {
      for (const server of [...servers].reverse()) await server.close();
      await database.cleanup();
    });

    it("delivers a change made through any instance to REST and tRPC subscribers on every instance", async () => {
      const token = await first.tokenFor(newUserId());
      const rest = await Promise.all(
        servers.map((server) => RestEventStream.open(server.url, token)),
      );
      const trpc = servers.map((server) => new TrpcSubscriber(() => server.url, token));
      await Promise.all(trpc.map((subscriber) => subscriber.waitForStarts(1)));
      const created = [];
      for (const server of servers) {
        const reply = await server.request("POST", "/api/v1/tasks", {
          token,
          body: { title: `via ${server.url}` },
        });
        expect(reply.status).toBe(201);
        created.push((reply.body as { id: string }).id);
      }
      for (const subscriber of [...rest, ...trpc]) {
        const events = await subscriber.waitForEvents(created.length);
        expect(idsOf(events)).toEqual(created.map((_id, index) => String(index + 1)));
        expect(taskIdsOf(events)).toEqual(created);
        expect(events.every((item) => item.event.type === "created")).toBe(true);
      }
      rest.forEach((stream) => stream.close());
      trpc.forEach((subscriber) => subscriber.close());
    });

    it("shows another user nothing of it", async () => {
      const aliceToken = await first.tokenFor(newUserId());
      const bobToken = await first.tokenFor(newUserId());
      const bobRest = await RestEventStream.open(first.url, bobToken);
      const bobTrpc = new TrpcSubscriber(() => first.url, bobToken);
      await bobTrpc.waitForStarts(1);
      await first.request("POST", "/api/v1/tasks", {
        token: aliceToken,
        body: { title: "alice's" },
      });
      const bobs = await first.request("POST", "/api/v1/tasks", {
        token: bobToken,
        body: { title: "bob's" },
      });
      for (const subscriber of [bobRest, bobTrpc]) {
        const [only] = await subscriber.waitForEvents(1);
        expect(only).toMatchObject({ id: "1", event: { id: (bobs.body as { id: string }).id } });
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(bobRest.events).toHaveLength(1);
      expect(bobTrpc.events).toHaveLength(1);
      bobRest.close();
      bobTrpc.close();
    });

    it("answers REST with id/event/data frames, keep-alive comments and no-store", async () => {
      const token = await first.tokenFor(newUserId());
      const stream = await RestEventStream.open(first.url, token);
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(stream.headers.get("cache-control")).toBe("no-store");
      await new Promise((resolve) => setTimeout(resolve, KEEPALIVE_MS * 1.6));
      expect(stream.frames.some((frame) => frame.comment === "keep-alive")).toBe(true);
      const created = await first.request("POST", "/api/v1/tasks", {
        token,
        body: { title: "framed" },
      });
      await stream.waitForEvents(1);
      const frame = stream.frames.find((each) => each.data !== undefined);
      expect(frame).toMatchObject({ id: "1", event: "created" });
      expect(JSON.parse(frame?.data ?? "")).toEqual({
        type: "created",
        id: (created.body as { id: string }).id,
        version: expect.any(Number),
        task: created.body,
      });
      stream.close();
    });

    it("refuses a REST stream without a valid token with 401, and one over the cap with 429", async () => {
      const missing = await RestEventStream.open(first.url, undefined);
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe("Bearer");
      expect(JSON.parse(missing.body)).toEqual({ detail: expect.any(String) });
      const garbage = await RestEventStream.open(first.url, "not-a-token");
      expect(garbage.status).toBe(401);

      const token = await first.tokenFor(newUserId());
      const open = [];
      for (let index = 0; index < MAX_STREAMS; index += 1)
        open.push(await RestEventStream.open(first.url, token));
      expect(open.map((stream) => stream.status)).toEqual(open.map(() => 200));
      const extra = await RestEventStream.open(first.url, token);
      expect(extra.status).toBe(429);
      expect(extra.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(JSON.parse(extra.body).detail).toMatch(/open event streams/);
      open[0]?.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await RestEventStream.open(first.url, token);
      expect(again.status).toBe(200);
      [...open, again].forEach((stream) => stream.close());
    });

    it("replays 1,000 changes made while disconnected, in order and none twice, on both surfaces", async () => {
      const token = await first.tokenFor(newUserId());
      const seenTask = await first.request("POST", "/api/v1/tasks", {
        token,
        body: { title: "seen" },
      });
      const taskId = (seenTask.body as { id: string }).id;
      const before = await RestEventStream.open(last.url, token, "0");
      const [seen] = await before.waitForEvents(1);
      const lastSeen = seen?.id ?? "";
      before.close();
      const changes = [];
      for (let index = 0; index < 1_000; index += 1) {
        const through = servers[index % servers.length] ?? first;
        const reply = await through.request("PATCH", `/api/v1/tasks/${taskId}/toggle`, { token });
        expect(reply.status).toBe(200);
        changes.push((reply.body as { completed: boolean }).completed);
      }
      const rest = await RestEventStream.open(last.url, token, lastSeen);
      const trpc = new TrpcSubscriber(() => last.url, token, { lastEventId: lastSeen });
      for (const subscriber of [rest, trpc]) {
        const events = await subscriber.waitForEvents(1_000, 60_000);
        expect(idsOf(events)).toEqual(changes.map((_change, index) => String(index + 2)));
        expect(
          events.map((item) => (item.event.type === "updated" ? item.event.task.completed : null)),
        ).toEqual(changes);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rest.events).toHaveLength(1_000);
      expect(trpc.events).toHaveLength(1_000);
      rest.close();
      trpc.close();
    }, 180_000);

    it("ends the stream at the token's expiry, and the tRPC client resumes with a fresh token", async () => {
      const userId = newUserId();
      const shortLived = await first.issuer.sign({ sub: userId }, { expiresIn: 2 });
      const rest = await RestEventStream.open(first.url, shortLived);
      const trpc = new TrpcSubscriber(() => first.url, shortLived);
      await trpc.waitForStarts(1);
      trpc.token = await first.issuer.sign({ sub: userId });
      await rest.waitForEnd(6_000);
      await trpc.waitForStarts(2, 10_000);
      const reply = await first.request("POST", "/api/v1/tasks", {
        token: trpc.token,
        body: { title: "after" },
      });
      const [event] = await trpc.waitForEvents(1);
      expect(event).toMatchObject({ event: { id: (reply.body as { id: string }).id } });
      expect(trpc.errors).toEqual([]);
      trpc.close();
    });

    it("never writes a token into a log line", async () => {
      const token = await first.tokenFor(newUserId());
      const rest = await RestEventStream.open(first.url, token);
      const trpc = new TrpcSubscriber(() => first.url, token);
      await trpc.waitForStarts(1);
      await first.request("POST", "/api/v1/tasks", { token, body: { title: randomUUID() } });
      await rest.waitForEvents(1);
      await trpc.waitForEvents(1);
      rest.close();
      trpc.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const each of servers) {
        expect(each.logs.lines.length).toBeGreaterThan(0);
        expect(each.logs.text).not.toContain(token);
        expect(each.logs.text).not.toContain(token.split(".")[2]);
      }
    });
  },
);

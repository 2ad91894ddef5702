import { Prisma } from "@tasks/db";
import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import type { TaskFeedEvent } from "../src/index.ts";
import { purgeEventsBefore } from "../src/live/outbox.ts";
import { expectTRPCError, newUserId, useHarness, type Caller } from "./harness.ts";

/** A caller whose subscriptions end when `signal` fires. */
type Connect = (signal: AbortSignal) => Promise<Caller>;

type Envelope = [id: string, event: TaskFeedEvent, ...rest: unknown[]];

/**
 * A subscription through the caller, started at once (as a client's connection
 * would be) and read one event at a time.
 */
async function subscribe(connect: Connect, lastEventId?: string) {
  const connection = new AbortController();
  const caller = await connect(connection.signal);
  return read(caller, connection, lastEventId);
}

async function read(caller: Caller, connection: AbortController, lastEventId?: string) {
  const iterable = (await caller.tasks.onChange(
    lastEventId === undefined ? undefined : { lastEventId },
  )) as AsyncIterable<Envelope>;
  const iterator = iterable[Symbol.asyncIterator]();
  let pending = iterator.next();
  pending.catch(() => undefined);
  return {
    async next(timeoutMs = 10_000): Promise<{ id: string; event: TaskFeedEvent }> {
      const timeout = new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error("no event in time")), timeoutMs).unref(),
      );
      const result = await Promise.race([pending, timeout]);
      pending = iterator.next();
      pending.catch(() => undefined);
      if (result.done) throw new Error("the feed ended");
      const [id, event] = result.value;
      return { id, event };
    },
    async take(count: number) {
      const items = [];
      for (let index = 0; index < count; index += 1) items.push(await this.next());
      return items;
    },
    /** The client goes away: the feed ends and frees its slot. */
    async close() {
      connection.abort();
      await pending.catch(() => undefined);
    },
  };
}

describe.each(testDrivers())("live updates through the procedures on %s", (driver) => {
  const t = useHarness(driver);
  /** A user's caller, and how to open their subscriptions. */
  async function user(userId = newUserId()) {
    const caller = await t.harness.callerFor(userId);
    const connect: Connect = (signal) => t.harness.callerFor(userId, signal);
    return { userId, caller, connect };
  }

  it("records one event per write, in the same statement, with gapless per-user ids", async () => {
    const { caller, connect } = await user();
    const feed = await subscribe(connect);
    const task = await caller.tasks.create({ title: "first" });
    const updated = await caller.tasks.update({ id: task.id, title: "renamed" });
    const toggled = await caller.tasks.toggle({ id: task.id });
    await caller.tasks.delete({ id: task.id });
    const events = await feed.take(4);
    expect(events.map((item) => item.id)).toEqual(["1", "2", "3", "4"]);
    expect(events.map((item) => item.event)).toEqual([
      {
        type: "created",
        id: task.id,
        version: 1,
        task: task,
      },
      {
        type: "updated",
        id: task.id,
        version: 2,
        task: updated,
      },
      {
        type: "updated",
        id: task.id,
        version: 3,
        task: toggled,
      },
      { type: "deleted", id: task.id, version: 4, task: null },
    ]);
    await feed.close();
  });

  it("records one event per task a bulk change changed, and none for the others", async () => {
    const { caller, connect } = await user();
    const [open, done] = [
      await caller.tasks.create({ title: "open" }),
      await caller.tasks.create({ title: "done", completed: true }),
    ];
    const feed = await subscribe(connect, "2");
    expect(await caller.tasks.updateMany({ completed: true })).toEqual({ updated: 1 });
    expect(await caller.tasks.deleteMany({ status: "completed" })).toEqual({ deleted: 2 });
    const events = await feed.take(3);
    expect(events.map((item) => item.id)).toEqual(["3", "4", "5"]);
    expect(events[0]?.event).toEqual({
      type: "updated",
      id: open.id,
      version: 2,
      task: { ...open, completed: true, version: 2, updatedAt: expect.any(String) },
    });
    const deleted = events.slice(1).map((item) => item.event);
    expect(deleted).toEqual(
      expect.arrayContaining([
        { type: "deleted", id: open.id, version: 3, task: null },
        { type: "deleted", id: done.id, version: 2, task: null },
      ]),
    );
    await feed.close();
  });

  it("records a keyed create once, however often it is retried", async () => {
    const { caller, connect } = await user();
    const feed = await subscribe(connect);
    const first = await caller.tasks.create({ title: "once", idempotencyKey: "retry-me" });
    const again = await caller.tasks.create({ title: "once", idempotencyKey: "retry-me" });
    expect(again.id).toBe(first.id);
    const marker = await caller.tasks.create({ title: "after" });
    const events = await feed.take(2);
    expect(events.map((item) => [item.id, "id" in item.event && item.event.id])).toEqual([
      ["1", first.id],
      ["2", marker.id],
    ]);
    await feed.close();
  });

  it("records nothing for a write that changed nothing", async () => {
    const { caller: owner, connect } = await user();
    const { caller: stranger } = await user();
    const task = await owner.tasks.create({ title: "mine" });
    await expectTRPCError(stranger.tasks.toggle({ id: task.id }), "FORBIDDEN");
    await expectTRPCError(stranger.tasks.delete({ id: task.id }), "FORBIDDEN");
    const feed = await subscribe(connect, "1");
    await owner.tasks.toggle({ id: task.id });
    expect((await feed.next()).id).toBe("2");
    await feed.close();
  });

  it("carries a change made as soon as the stream is open, before anything was read from it", async () => {
    const { caller, connect } = await user();
    await caller.tasks.create({ title: "before" });
    const connection = new AbortController();
    const subscriber = await connect(connection.signal);
    const iterable = (await subscriber.tasks.onChange()) as AsyncIterable<Envelope>;
    const after = await caller.tasks.create({ title: "after" });
    const iterator = iterable[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.slice(0, 2)).toMatchObject(["2", { type: "created", id: after.id }]);
    connection.abort();
    await iterator.return?.(undefined);
  });

  it("shows each user only their own events", async () => {
    const { caller: alice } = await user();
    const { caller: bob, connect } = await user();
    const bobsFeed = await subscribe(connect);
    await alice.tasks.create({ title: "alice's" });
    const bobs = await bob.tasks.create({ title: "bob's" });
    const first = await bobsFeed.next();
    expect(first).toMatchObject({ id: "1", event: { type: "created", id: bobs.id } });
    await bobsFeed.close();
  });

  it("replays every event after the id a client resumes from, in order, none twice", async () => {
    const { caller, connect } = await user();
    const created = [];
    for (let index = 0; index < 30; index += 1) {
      created.push(await caller.tasks.create({ title: `task ${index}` }));
    }
    // From 5, so that ids cross a power of ten (9, 10): they are numbers, not text.
    const feed = await subscribe(connect, "5");
    const replayed = await feed.take(25);
    expect(replayed.map((item) => item.id)).toEqual(
      Array.from({ length: 25 }, (_value, index) => String(index + 6)),
    );
    expect(replayed.map((item) => (item.event.type === "created" ? item.event.id : null))).toEqual(
      created.slice(5).map((task) => task.id),
    );
    const live = await caller.tasks.create({ title: "after the replay" });
    expect(await feed.next()).toMatchObject({ id: "31", event: { id: live.id } });
    await feed.close();
  });

  it.each([
    ["an id it never handed out", "99"],
    ["text that is not an id", "abc"],
    ["a negative number", "-1"],
    ["U+0000", "\u0000"],
    ["a lone surrogate", "\ud800"],
    ["digits past 64 bits", "123456789012345678901234"],
  ])("answers %s with reset at the latest id", async (_name, lastEventId) => {
    const { caller, connect } = await user();
    await caller.tasks.create({ title: "one" });
    const feed = await subscribe(connect, lastEventId);
    expect(await feed.next()).toEqual({ id: "1", event: { type: "reset" } });
    const task = await caller.tasks.create({ title: "two" });
    expect(await feed.next()).toMatchObject({ id: "2", event: { id: task.id } });
    await feed.close();
  });

  it("refuses an event id longer than any it hands out", async () => {
    const { caller } = await user();
    await expectTRPCError(
      caller.tasks.onChange({ lastEventId: "1".repeat(65) }),
      "UNPROCESSABLE_CONTENT",
    );
  });

  it("answers reset when the events after the id were purged", async () => {
    const { userId, caller, connect } = await user();
    for (let index = 0; index < 3; index += 1) await caller.tasks.create({ title: `${index}` });
    await t.harness.database.db.sql(
      Prisma.sql`UPDATE task_events SET created_at = created_at - interval '2 hours' WHERE user_id = ${userId} AND id <= 2`,
    );
    expect(
      await purgeEventsBefore(t.harness.database.db, new Date(Date.now() - 3_600_000)),
    ).toBeGreaterThanOrEqual(2);
    const gap = await subscribe(connect, "1");
    expect(await gap.next()).toEqual({ id: "3", event: { type: "reset" } });
    await gap.close();
    const intact = await subscribe(connect, "2");
    expect((await intact.next()).id).toBe("3");
    await intact.close();
  });

  it("caps each user's open streams, and frees a slot when one closes", async () => {
    const { caller, connect } = await user();
    const feeds = [];
    for (let index = 0; index < t.harness.live.streams.maxPerUser; index += 1) {
      feeds.push(await subscribe(connect));
    }
    const extra = await subscribe(connect);
    await expect(extra.next()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await feeds[0]?.close();
    const another = await subscribe(connect);
    const task = await caller.tasks.create({ title: "seen" });
    expect(await another.next()).toMatchObject({ event: { id: task.id } });
    await Promise.all([...feeds.slice(1), another].map((feed) => feed.close()));
  });

  it("ends the stream when the token expires", async () => {
    const userId = newUserId();
    const token = await t.harness.issuer.sign({ sub: userId }, { expiresIn: 2 });
    const connection = new AbortController();
    const caller = await t.harness.callerWithHeader(`Bearer ${token}`, connection.signal);
    const feed = await read(caller, connection);
    const opened = Date.now();
    // Ended without tRPC's "return", so a client reconnects with a fresh token.
    await expect(feed.next(5_000)).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - opened).toBeGreaterThan(500);
  });
});

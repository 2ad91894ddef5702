import { Prisma } from "@tasks/db";
import { testDrivers } from "@tasks/db/testing";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectTRPCError, newUserId, useHarness } from "./harness.ts";

describe.each(testDrivers())("idempotent creates on %s", (driver) => {
  const t = useHarness(driver);
  const freshUser = () => t.harness.callerFor(newUserId());
  const key = () => `key-${Math.random().toString(36).slice(2)}`;

  it("creates once and answers a retry with the first response", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const first = await me.tasks.create({ title: "once", idempotencyKey });
    const retry = await me.tasks.create({ title: "once", idempotencyKey });
    expect(retry).toEqual(first);
    expect(await me.tasks.counts({})).toMatchObject({ all: 1 });
  });

  it("replays the task as it was first sent, not as it is now", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const first = await me.tasks.create({ title: "as sent", idempotencyKey });
    await me.tasks.update({ id: first.id, title: "changed since" });
    expect(await me.tasks.create({ title: "as sent", idempotencyKey })).toEqual(first);
  });

  it("tells whoever hosts it that the answer is a replay", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const replays: string[] = [];
    t.harness.onIdempotentReplay = () => replays.push(idempotencyKey);
    try {
      await me.tasks.create({ title: "flag", idempotencyKey });
      expect(replays).toEqual([]);
      await me.tasks.create({ title: "flag", idempotencyKey });
      expect(replays).toEqual([idempotencyKey]);
    } finally {
      t.harness.onIdempotentReplay = undefined;
    }
  });

  it("treats requests that mean the same as the same, and others as a reused key", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const first = await me.tasks.create({ title: " same ", description: "", idempotencyKey });
    const same = await me.tasks.create({ title: "same", completed: false, idempotencyKey });
    expect(same).toEqual(first);
    for (const other of [
      { title: "different" },
      { title: "same", completed: true },
      { title: "same", description: "now described" },
    ]) {
      const error = await expectTRPCError(
        me.tasks.create({ ...other, idempotencyKey }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(error.message).toMatch(/idempotency key/i);
    }
    expect(await me.tasks.counts({})).toMatchObject({ all: 1 });
  });

  it("keeps keys per user", async () => {
    const idempotencyKey = key();
    const alice = await freshUser();
    const bob = await freshUser();
    const hers = await alice.tasks.create({ title: "shared key", idempotencyKey });
    const his = await bob.tasks.create({ title: "shared key", idempotencyKey });
    expect(his.id).not.toBe(hers.id);
    await bob.tasks.create({ title: "another body", idempotencyKey: key() });
    expect(await bob.tasks.counts({})).toMatchObject({ all: 2 });
  });

  it("makes one task of 10 concurrent creates with one key", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => me.tasks.create({ title: "burst", idempotencyKey })),
    );
    const tasks = outcomes.flatMap((outcome) =>
      outcome.status === "fulfilled" ? [outcome.value] : [],
    );
    const refusals = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [Reflect.get(outcome.reason as object, "code")] : [],
    );
    // Requests that met the first one still running were told so (CONFLICT); the others replayed.
    expect(new Set(refusals)).toEqual(new Set(refusals.length ? ["CONFLICT"] : []));
    expect(tasks.length).toBeGreaterThan(0);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(1);
    expect(await me.tasks.counts({})).toMatchObject({ all: 1 });
  });

  it("refuses keys that are not 1–255 printable ASCII", async () => {
    for (const idempotencyKey of [
      "",
      "x".repeat(256),
      " leading",
      "trailing ",
      "nul\u0000",
      "tab\there",
      "é",
      "\ud800",
      "line\nbreak",
    ]) {
      const error = await expectTRPCError(
        t.alice.tasks.create({ title: "bad key", idempotencyKey }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(error.message).toContain("idempotencyKey");
    }
    const longest = "~".repeat(255);
    expect((await t.alice.tasks.create({ title: "ok", idempotencyKey: longest })).title).toBe("ok");
  });

  it("forgets a key after 24 hours and purges expired keys as new ones arrive", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const first = await me.tasks.create({ title: "old", idempotencyKey });
    const { db } = t.harness.database;
    await db.sql(Prisma.sql`INSERT INTO idempotency_keys
      (user_id, key, fingerprint, response, expires_at)
      SELECT 'someone-gone', 'k' || n, 'f', '{}'::jsonb, now() - interval '1 minute'
      FROM generate_series(1, 150) AS n`);
    await db.sql(Prisma.sql`UPDATE idempotency_keys SET expires_at = now() - interval '1 second'
      WHERE key = ${idempotencyKey}`);
    const expired = () =>
      db.sql<{ n: number }>(
        Prisma.sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE expires_at <= now()`,
      );
    const before = (await expired())[0]?.n ?? 0;
    expect(before).toBeGreaterThanOrEqual(151);

    const again = await me.tasks.create({ title: "old", idempotencyKey });
    expect(again.id).not.toBe(first.id);
    // The reused key is current again; one bounded batch of the others was purged.
    expect((await expired())[0]?.n).toBe(before - 1 - 100);
    await me.tasks.create({ title: "another", idempotencyKey: key() });
    expect((await expired())[0]?.n).toBe(Math.max(before - 1 - 200, 0));
  });

  it("leaves no key behind when the create fails, so a retry creates", async () => {
    const me = await freshUser();
    const idempotencyKey = key();
    const { db } = t.harness.database;
    await db.sql(Prisma.sql`ALTER TABLE tasks ADD CONSTRAINT no_doomed CHECK (title <> 'doomed')`);
    try {
      await expectTRPCError(
        me.tasks.create({ title: "doomed", idempotencyKey }),
        "INTERNAL_SERVER_ERROR",
      );
    } finally {
      await db.sql(Prisma.sql`ALTER TABLE tasks DROP CONSTRAINT no_doomed`);
    }
    const rows = await db.sql(
      Prisma.sql`SELECT 1 FROM idempotency_keys WHERE key = ${idempotencyKey}`,
    );
    expect(rows).toEqual([]);
    expect((await me.tasks.create({ title: "doomed", idempotencyKey })).title).toBe("doomed");
  });
});

/** In flight needs two connections: PostgreSQL only (PGlite runs one transaction at a time). */
describe.each(testDrivers().filter((driver) => driver !== "pglite"))(
  "a key still in flight on %s",
  (driver) => {
    const t = useHarness(driver);

    it("answers CONFLICT while the first request runs, then replays it", async () => {
      const me = await t.harness.callerFor(newUserId());
      const idempotencyKey = "in-flight";
      const blocker = new pg.Client({ connectionString: t.harness.database.url });
      await blocker.connect();
      // A pool connection opened before the lock: opening one is not what this test waits for.
      await me.tasks.counts({});
      try {
        // Another session holds up every insert into tasks: the first create stays in flight.
        await blocker.query("BEGIN");
        await blocker.query("LOCK TABLE tasks IN SHARE MODE");
        const first = me.tasks.create({ title: "slow", idempotencyKey });
        await waitForLockWait(blocker);
        const error = await expectTRPCError(
          me.tasks.create({ title: "slow", idempotencyKey }),
          "CONFLICT",
        );
        expect(error.message).toMatch(/still being processed/);
        await blocker.query("COMMIT");
        const created = await first;
        expect(await me.tasks.create({ title: "slow", idempotencyKey })).toEqual(created);
      } finally {
        await blocker.end();
      }
    });
  },
);

/** Resolves once some other session waits for a lock (the held-up create). */
async function waitForLockWait(client: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { rows } = await client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND datname = current_database()`,
    );
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the create never waited for the lock");
}

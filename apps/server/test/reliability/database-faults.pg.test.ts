import { randomUUID } from "node:crypto";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, type TestServer } from "../support/server.ts";
import { startServerBehindProxy, type ServerBehindProxy } from "../support/behind-proxy.ts";
import type { TcpProxy } from "../support/tcp-proxy.ts";
import { reportFigures } from "./support/figures.ts";
import { eventually, runWorkers, sleep } from "./support/load.ts";

const WRITERS = 16;

/** One create as the client saw it, with when it was sent and answered. */
interface Attempt {
  title: string;
  sentAt: number;
  answeredAt: number;
  status: number;
  id?: string;
  retryAfter: string | null;
}

/** One create a retrying client means to make, and what it took. */
interface IntendedCreate {
  title: string;
  key: string;
  tries: number;
  statuses: number[];
  timeouts: number;
  id?: string;
  replayed: boolean;
}

/** How long the retrying client waits for an answer before it gives up on that try. */
const CLIENT_TIMEOUT_MS = 2_000;

interface Outage {
  cutAt: number;
  resumedAt: number;
  readyDuringOutage: number;
  recovered: boolean;
}

/** Lets the load run, cuts the database for three seconds, waits for recovery, lets it run on. */
async function cutTheDatabase(proxy: TcpProxy, server: TestServer): Promise<Outage> {
  await sleep(1_500);
  const cutAt = performance.now();
  await proxy.stop();
  await sleep(500);
  const readyDuringOutage = (await server.request("GET", "/ready")).status;
  await sleep(2_500);
  const resumedAt = performance.now();
  await proxy.resume();
  const recovered = await eventually(
    async () => (await server.request("GET", "/ready")).status === 200,
    15_000,
  );
  await sleep(1_500);
  return { cutAt, resumedAt, readyDuringOutage, recovered };
}

/**
 * PostgreSQL is reached through a TCP proxy the test controls: stopping it cuts
 * every open connection and refuses new ones, as a database crash or a network
 * partition would, without touching the server under test.
 */
describe.each(testDrivers().filter((driver) => driver === "pg"))(
  "database cut in the middle of a write load (%s)",
  (driver) => {
    let setup: ServerBehindProxy;
    let proxy: TcpProxy;
    let server: TestServer;

    beforeAll(async () => {
      setup = await startServerBehindProxy(driver, { RATE_LIMIT_MAX: "1000000" });
      ({ proxy, server } = setup);
    });
    afterAll(() => setup.close());

    it("answers 201 or 503 + Retry-After, keeps every acknowledged create and recovers without a restart", async () => {
      const userId = newUserId();
      const token = await server.tokenFor(userId);
      const attempts: Attempt[] = [];
      let writing = true;
      const load = runWorkers(
        WRITERS,
        () => writing,
        async (worker, iteration) => {
          const title = `w${worker}-${iteration}-${randomUUID()}`;
          const sentAt = performance.now();
          const reply = await server.request("POST", "/api/v1/tasks", { token, body: { title } });
          attempts.push({
            title,
            sentAt,
            answeredAt: performance.now(),
            status: reply.status,
            id: (reply.body as { id?: string } | undefined)?.id,
            retryAfter: reply.headers.get("retry-after"),
          });
          // Refusals come back at once; a short pause keeps the outage from being a busy loop.
          if (reply.status === 503) await sleep(20);
        },
      );

      const { cutAt, resumedAt, readyDuringOutage, recovered } = await cutTheDatabase(
        proxy,
        server,
      );
      writing = false;
      await load;

      const stored = await setup.testDatabase.db.prisma.task.findMany({ where: { userId } });
      const storedByTitle = new Map(stored.map((row) => [row.title, row]));
      const acknowledged = attempts.filter((attempt) => attempt.status === 201);
      const refused = attempts.filter((attempt) => attempt.status === 503);
      // Sent after the cut and answered before the database came back: it cannot have reached it.
      const refusedWhileAway = refused.filter(
        (attempt) => attempt.sentAt > cutAt && attempt.answeredAt < resumedAt,
      );
      // In flight when the connection was cut (or when it came back): the INSERT may have
      // committed with its answer lost. The client cannot know; these are counted, not judged.
      const inDoubt = refused.filter((attempt) => !refusedWhileAway.includes(attempt));
      const inDoubtStored = inDoubt.filter((attempt) => storedByTitle.has(attempt.title));

      expect(attempts.filter((attempt) => ![201, 503].includes(attempt.status))).toEqual([]);
      expect(refused.filter((attempt) => !/^\d+$/.test(attempt.retryAfter ?? ""))).toEqual([]);
      expect(readyDuringOutage).toBe(503);
      expect(recovered).toBe(true);
      expect(acknowledged.filter((attempt) => attempt.sentAt < cutAt).length).toBeGreaterThan(0);
      expect(acknowledged.filter((attempt) => attempt.sentAt > resumedAt).length).toBeGreaterThan(
        0,
      );
      expect(refusedWhileAway.length).toBeGreaterThan(0);

      for (const attempt of acknowledged) {
        expect(storedByTitle.get(attempt.title)?.id, attempt.title).toBe(attempt.id);
      }
      expect(refusedWhileAway.filter((attempt) => storedByTitle.has(attempt.title))).toEqual([]);
      expect(inDoubt.length).toBeLessThanOrEqual(2 * WRITERS);
      // Nothing stored that the load did not send, and nothing stored twice.
      const sent = new Set(attempts.map((attempt) => attempt.title));
      expect(stored.filter((row) => !sent.has(row.title))).toEqual([]);
      expect(storedByTitle.size).toBe(stored.length);
      expect(stored.length).toBe(acknowledged.length + inDoubtStored.length);

      reportFigures("database cut", {
        requests: attempts.length,
        acknowledged: acknowledged.length,
        refused: refused.length,
        refusedWhileAway: refusedWhileAway.length,
        inDoubt: inDoubt.length,
        inDoubtStored: inDoubtStored.length,
        outageMs: Math.round(resumedAt - cutAt),
      });
    }, 60_000);

    it("a client retrying every failed or timed-out create with its Idempotency-Key stores each exactly once", async () => {
      const userId = newUserId();
      const token = await server.tokenFor(userId);
      const intended: IntendedCreate[] = [];
      let writing = true;

      /** One try; a timeout or a dropped connection is an answer the client never got. */
      async function tryCreate(create: IntendedCreate): Promise<boolean> {
        create.tries += 1;
        try {
          const response = await fetch(`${server.url}/api/v1/tasks`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              "idempotency-key": create.key,
            },
            body: JSON.stringify({ title: create.title }),
            signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
          });
          create.statuses.push(response.status);
          const body = (await response.json()) as { id?: string };
          if (response.status !== 201) return false;
          create.id = body.id;
          create.replayed = response.headers.get("idempotent-replayed") === "true";
          return true;
        } catch {
          create.timeouts += 1;
          return false;
        }
      }

      const load = runWorkers(
        WRITERS,
        () => writing,
        async (worker, iteration) => {
          const create: IntendedCreate = {
            title: `r${worker}-${iteration}-${randomUUID()}`,
            key: randomUUID(),
            tries: 0,
            statuses: [],
            timeouts: 0,
            replayed: false,
          };
          intended.push(create);
          // Retries until it gets its 201, however long the outage lasts.
          while (!(await tryCreate(create))) await sleep(50);
        },
      );
      const outage = await cutTheDatabase(proxy, server);
      writing = false;
      await load;

      const stored = await setup.testDatabase.db.prisma.task.findMany({ where: { userId } });
      const copies = new Map<string, number>();
      for (const row of stored) copies.set(row.title, (copies.get(row.title) ?? 0) + 1);
      const retried = intended.filter((create) => create.tries > 1);

      expect(outage.readyDuringOutage).toBe(503);
      expect(outage.recovered).toBe(true);
      expect(retried.length).toBeGreaterThan(0);
      // Every answer was a 201, a 503 while the database was away, or a 409 for a try still in flight.
      const statuses = new Set(intended.flatMap((create) => create.statuses));
      expect([...statuses].filter((status) => ![201, 409, 503].includes(status))).toEqual([]);
      // Each intended create is stored once, as the task its final answer named; nothing else is.
      expect(stored.length).toBe(intended.length);
      expect([...copies.values()].filter((count) => count !== 1)).toEqual([]);
      const storedByTitle = new Map(stored.map((row) => [row.title, row]));
      for (const create of intended) {
        expect(storedByTitle.get(create.title)?.id, create.title).toBe(create.id);
      }

      reportFigures("database cut, retrying with Idempotency-Key", {
        intended: intended.length,
        stored: stored.length,
        requests: intended.reduce((sum, create) => sum + create.tries, 0),
        retried: retried.length,
        replayed: intended.filter((create) => create.replayed).length,
        conflicts: intended.flatMap((create) => create.statuses).filter((s) => s === 409).length,
        refused: intended.flatMap((create) => create.statuses).filter((s) => s === 503).length,
        timeouts: intended.reduce((sum, create) => sum + create.timeouts, 0),
        outageMs: Math.round(outage.resumedAt - outage.cutAt),
      });
    }, 90_000);
  },
);

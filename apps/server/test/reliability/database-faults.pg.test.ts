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
  },
);

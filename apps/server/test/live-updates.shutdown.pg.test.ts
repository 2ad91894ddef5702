import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestEventStream, TrpcSubscriber } from "./support/event-streams.ts";
import { freePort, MainProcess } from "./support/main-process.ts";

const PROCESS_TEST_TIMEOUT_MS = 120_000;

/** A created task's id, through the REST façade of `baseUrl`. */
async function create(baseUrl: string, token: string, title: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/**
 * Two production bundles on one PostgreSQL. SIGTERM on the first ends its event
 * streams at once (the process exits instead of waiting on them), and the clients,
 * sent to the second by the "load balancer" (the URL the test hands out), resume
 * after the last event they saw: nothing lost, nothing twice.
 */
describe("SIGTERM with open event streams", () => {
  let issuer: TestIssuer;
  let database: TestDatabase;
  const processes: MainProcess[] = [];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    database = await createTestDatabase("pg");
  });
  afterAll(async () => {
    for (const main of processes) if (main.child.exitCode === null) main.kill("SIGKILL");
    await database.cleanup();
    await issuer.close();
  });

  async function start(): Promise<{ main: MainProcess; url: string }> {
    const main = MainProcess.spawn({
      PORT: String(await freePort()),
      DATABASE_URL: database.url ?? "",
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_ISSUER: issuer.issuer,
      AUTH_AUDIENCE: issuer.audience,
    });
    processes.push(main);
    return { main, url: await main.listening(PROCESS_TEST_TIMEOUT_MS) };
  }

  it(
    "closes the streams and the clients resume on the other instance",
    async () => {
      const [first, second] = await Promise.all([start(), start()]);
      let current = first.url;
      const token = await issuer.sign({ sub: "user_failover" });
      const trpc = new TrpcSubscriber(() => current, token);
      const rest = await RestEventStream.open(first.url, token);
      await trpc.waitForStarts(1);
      const before = await create(first.url, token, "before");
      await trpc.waitForEvents(1);
      await rest.waitForEvents(1);

      first.main.kill("SIGTERM");
      current = second.url;
      expect(await first.main.exited).toBe(0);
      await rest.waitForEnd();
      const after = await create(second.url, token, "after");

      const resumed = await RestEventStream.open(second.url, token, rest.events.at(-1)?.id);
      for (const subscriber of [trpc, resumed]) {
        const events = await subscriber.waitForEvents(subscriber === trpc ? 2 : 1);
        expect(events.map((item) => ("id" in item.event ? item.event.id : null))).toEqual(
          subscriber === trpc ? [before, after] : [after],
        );
      }
      expect(trpc.events.map((item) => item.id)).toEqual(["1", "2"]);
      expect(trpc.starts).toBeGreaterThanOrEqual(2);
      trpc.close();
      resumed.close();
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

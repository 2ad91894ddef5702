import { createDatabase, type Database } from "@tasks/db";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestEventStream, TrpcSubscriber } from "./support/event-streams.ts";
import { newUserId, TestServer } from "./support/server.ts";
import { TcpProxy, throughProxy } from "./support/tcp-proxy.ts";

/**
 * Two instances whose pools and LISTEN connections all reach PostgreSQL through
 * a proxy the test cuts: every change a client saw acknowledged, before, during
 * or after the cut, reaches the subscribers once it is over.
 */
describe("live updates through a database outage", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let pools: Database[];
  let servers: TestServer[];

  beforeAll(async () => {
    database = await createTestDatabase("pg");
    const target = new URL(database.url ?? "");
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const url = throughProxy(database.url ?? "", proxy);
    pools = [
      await createDatabase({ ...database.config, url }),
      await createDatabase({ ...database.config, url }),
    ];
    const first = await TestServer.start("pg", { db: pools[0], live: { listenUrl: url } });
    const second = await TestServer.start("pg", {
      db: pools[1],
      issuer: first.issuer,
      live: { listenUrl: url },
    });
    servers = [first, second];
  });
  afterAll(async () => {
    for (const server of servers) {
      // After the cut, one of the test client's keep-alive connections stays open
      // (not idle to Node) until the 60 s connection timeout: the clients' streams
      // are closed by now, so cut what is left rather than wait for it.
      const closing = server.close();
      server.app.server.closeAllConnections();
      await closing;
    }
    for (const pool of pools) await pool.close();
    await proxy.stop();
    await database.cleanup();
  });

  it("delivers every acknowledged change once the database is back", async () => {
    const [first, second] = servers as [TestServer, TestServer];
    const token = await first.tokenFor(newUserId());
    const rest = await RestEventStream.open(second.url, token);
    const trpc = new TrpcSubscriber(() => first.url, token);
    await trpc.waitForStarts(1);

    const acknowledged: string[] = [];
    let refused = 0;
    const write = async (server: TestServer, title: string) => {
      const reply = await server.request("POST", "/api/v1/tasks", { token, body: { title } });
      if (reply.status === 201) acknowledged.push((reply.body as { id: string }).id);
      else if (reply.status === 503) refused += 1;
      else throw new Error(`unexpected ${reply.status}: ${reply.text}`);
    };

    for (let index = 0; index < 5; index += 1)
      await write(servers[index % 2] as TestServer, `before ${index}`);
    await proxy.stop();
    for (let index = 0; index < 4; index += 1)
      await write(servers[index % 2] as TestServer, `during ${index}`);
    await proxy.resume();
    const deadline = Date.now() + 20_000;
    while (acknowledged.length < 10 && Date.now() < deadline) {
      await write(servers[acknowledged.length % 2] as TestServer, `after ${acknowledged.length}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);

    for (const subscriber of [rest, trpc]) {
      const events = await subscriber.waitForEvents(acknowledged.length, 30_000);
      expect(events.map((item) => ("id" in item.event ? item.event.id : null))).toEqual(
        acknowledged,
      );
      expect(events.map((item) => item.id)).toEqual(
        acknowledged.map((_id, index) => String(index + 1)),
      );
    }
    rest.close();
    trpc.close();
  }, 90_000);
});

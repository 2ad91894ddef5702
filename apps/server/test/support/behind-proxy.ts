import { createDatabase, type Database, type DatabaseDriver } from "@tasks/db";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import { TestServer } from "./server.ts";
import { TcpProxy, throughProxy } from "./tcp-proxy.ts";

/**
 * A real server whose PostgreSQL is reached through a TCP proxy the test controls:
 * stopping the proxy cuts every connection, as a crash or a partition would.
 */
export interface ServerBehindProxy {
  testDatabase: TestDatabase;
  proxy: TcpProxy;
  db: Database;
  server: TestServer;
  close(): Promise<void>;
}

export async function startServerBehindProxy(
  driver: DatabaseDriver,
  env: Record<string, string> = {},
): Promise<ServerBehindProxy> {
  const testDatabase = await createTestDatabase(driver);
  const target = new URL(testDatabase.url ?? "");
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  const db = await createDatabase({
    ...testDatabase.config,
    url: throughProxy(testDatabase.url ?? "", proxy),
  });
  const server = await TestServer.start(driver, { db, env });
  return {
    testDatabase,
    proxy,
    db,
    server,
    async close() {
      await server.close();
      await db.close();
      await proxy.stop();
      await testDatabase.cleanup();
    },
  };
}

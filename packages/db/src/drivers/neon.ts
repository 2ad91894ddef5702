// Neon's serverless driver: the PostgreSQL protocol over WebSockets, pooled by
// @prisma/adapter-neon. Migrations open their own short-lived client.
import { Client, neonConfig } from "@neondatabase/serverless";
import { PrismaNeon } from "@prisma/adapter-neon";
import ws from "ws";
import { PrismaClient } from "../generated/prisma/client.ts";
import { sharedAdapter } from "./adapter.ts";
import { once, pgTransaction } from "./connection.ts";
import { useNeonWsProxy } from "./neon-ws-proxy.ts";
import { poolOptions, requireUrl } from "./pg.ts";
import type { DatabaseConfig } from "../config.ts";
import type { DriverConnection } from "./connection.ts";

// Node 20 has no global WebSocket.
neonConfig.webSocketConstructor = ws;

export async function connectNeon(config: DatabaseConfig): Promise<DriverConnection> {
  if (config.neonWsProxy !== undefined) useNeonWsProxy(config.neonWsProxy);
  const { adapter, factory } = await sharedAdapter(
    new PrismaNeon(poolOptions(config), { onPoolError: () => undefined }),
  );
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    adapter,
    transaction: async (work) => {
      const client = new Client({ connectionString: requireUrl(config) });
      client.on("error", () => undefined);
      await client.connect();
      try {
        return await pgTransaction(client, work);
      } finally {
        await client.end();
      }
    },
    close: once(() => prisma.$disconnect()),
  };
}

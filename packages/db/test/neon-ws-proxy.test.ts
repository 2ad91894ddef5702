import { neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, isDatabaseUnavailableError } from "../src/index.ts";
import { databaseConfigFromProcessEnv } from "../src/config.ts";
import { useNeonWsProxy } from "../src/drivers/neon-ws-proxy.ts";
import { startNeonProxy } from "../src/testing/neon-proxy.ts";
import { testDrivers } from "../src/testing.ts";
import { freePort, rejectionOf } from "./helpers.ts";
import type { NeonProxy } from "../src/testing/neon-proxy.ts";

it("sends the Neon driver to the proxy over plain ws://, without Neon's TLS and password pipelining", () => {
  useNeonWsProxy("127.0.0.1:5488");
  const socket = new neonConfig();
  expect(socket.wsProxyAddrForHost("ep-cool-1234.eu-central-1.aws.neon.tech", 5432)).toBe(
    "127.0.0.1:5488/v2?address=ep-cool-1234.eu-central-1.aws.neon.tech:5432",
  );
  expect(neonConfig.useSecureWebSocket).toBe(false);
  expect(neonConfig.pipelineTLS).toBe(false);
  expect(neonConfig.pipelineConnect).toBe(false);
});

// The serverless driver cannot speak to a plain PostgreSQL at all, so a ping that
// succeeds went through the proxy NEON_WS_PROXY named.
describe.each(testDrivers().filter((driver) => driver === "neon"))(
  "NEON_WS_PROXY with the %s driver against TEST_DATABASE_URL",
  (driver) => {
    const url = process.env.TEST_DATABASE_URL ?? "";
    const { hostname, port } = new URL(url);
    let proxy: NeonProxy;
    beforeAll(async () => {
      proxy = await startNeonProxy(`${hostname}:${port || "5432"}`);
    });
    afterAll(() => proxy.close());

    const configWithProxy = (address: string) =>
      databaseConfigFromProcessEnv({
        DATABASE_DRIVER: driver,
        DATABASE_URL: url,
        NEON_WS_PROXY: address,
        DB_POOL_MIN: "0",
      });

    it("reaches the database through the proxy", async () => {
      const db = await createDatabase(configWithProxy(proxy.address));
      try {
        await expect(db.ping()).resolves.toBeUndefined();
      } finally {
        await db.close();
      }
    });

    it("reports the database unavailable when nothing listens at the proxy address", async () => {
      const db = await createDatabase(configWithProxy(`127.0.0.1:${await freePort()}`));
      try {
        expect(isDatabaseUnavailableError(await rejectionOf(db.ping()))).toBe(true);
      } finally {
        await db.close();
      }
    });
  },
);

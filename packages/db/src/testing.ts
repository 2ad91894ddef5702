// Fresh, migrated, isolated databases for tests, on every driver this machine
// can run: the embedded PGlite always, PostgreSQL (through pg and through the
// Neon driver) when TEST_DATABASE_URL points at a server whose user may CREATE DATABASE.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseConfigFromEnv, databaseEnvSchema } from "./config.ts";
import { createDatabase, openDatabase } from "./database.ts";
import { pgliteConnection } from "./drivers/pglite.ts";
import { startNeonProxy } from "./testing/neon-proxy.ts";
import { cloneMigratedPglite } from "./testing/pglite-template.ts";
import type { DatabaseConfig, DatabaseDriver } from "./config.ts";
import type { Database } from "./database.ts";
import type { NeonProxy } from "./testing/neon-proxy.ts";

export { startNeonProxy, type NeonProxy };

export interface TestDatabase {
  db: Database;
  /** The database's URL (pg and neon only). */
  url?: string;
  config: DatabaseConfig;
  /** Closes the connection and drops the database. Idempotent. */
  cleanup(): Promise<void>;
}

export function testDrivers(): DatabaseDriver[] {
  return adminUrl() === undefined ? ["pglite"] : ["pglite", "pg", "neon"];
}

export async function createTestDatabase(driver: DatabaseDriver): Promise<TestDatabase> {
  if (driver === "pglite") return embeddedTestDatabase();
  const admin = adminUrl();
  if (admin === undefined) throw new Error(`The ${driver} test driver needs TEST_DATABASE_URL`);
  return serverTestDatabase(driver, admin);
}

function adminUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  return url === undefined || url === "" ? undefined : url;
}

/** The configuration the server would build from these variables. */
function testConfig(driver: DatabaseDriver, url?: string, neonWsProxy?: string): DatabaseConfig {
  const env = databaseEnvSchema.parse({
    DATABASE_DRIVER: driver,
    DATABASE_URL: url,
    PGLITE_DIR: "memory://",
    NEON_WS_PROXY: neonWsProxy,
  });
  return { ...databaseConfigFromEnv(env), migrateOnStart: true };
}

/** A clone of the cached migrated template: no initdb, no migrations to replay. */
async function embeddedTestDatabase(): Promise<TestDatabase> {
  const config = testConfig("pglite");
  const db = await openDatabase(await pgliteConnection(await cloneMigratedPglite()), config);
  return { db, config, cleanup: db.close };
}

async function serverTestDatabase(driver: "pg" | "neon", admin: string): Promise<TestDatabase> {
  const name = `test_${randomBytes(8).toString("hex")}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = withDatabase(admin, name);
  const proxy = driver === "neon" ? await acquireNeonProxy(admin) : undefined;
  const config = testConfig(driver, url, proxy?.address);
  let cleaning: Promise<void> | undefined;
  const cleanup = (db?: Database) =>
    (cleaning ??= (async () => {
      await db?.close();
      await proxy?.release();
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    })());
  try {
    const db = await createDatabase(config);
    return { db, url, config, cleanup: () => cleanup(db) };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** One statement on the admin connection (CREATE/DROP DATABASE). */
export async function adminQuery(admin: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same server URL naming another database. */
export function withDatabase(url: string, database: string): string {
  const result = new URL(url);
  result.pathname = `/${database}`;
  return result.toString();
}

// One proxy per process, shared by all Neon test databases alive at the time.
let proxy: Promise<NeonProxy> | undefined;
let proxyUsers = 0;

interface ProxyLease {
  /** NEON_WS_PROXY's value. */
  address: string;
  release(): Promise<void>;
}

async function acquireNeonProxy(admin: string): Promise<ProxyLease> {
  const { hostname, port } = new URL(admin);
  proxyUsers += 1;
  proxy ??= startNeonProxy(`${hostname}:${port || "5432"}`);
  const { address } = await proxy;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    proxyUsers -= 1;
    if (proxyUsers > 0 || proxy === undefined) return;
    const closing = proxy;
    proxy = undefined;
    await (await closing).close();
  };
  return { address, release };
}

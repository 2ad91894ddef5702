// Starts the baseline with the project's own configuration variables (API.md):
// PORT, HOST, DATABASE_URL, AUTH_PUBLIC_KEY, DB_POOL_MAX.
import pg from "pg";
import { buildBaselineApp } from "./app.ts";
import { importPublicKey } from "./auth.ts";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    console.error(`${name} is required.`);
    process.exit(1);
  }
  return value;
}

const pool = new pg.Pool({
  connectionString: required("DATABASE_URL"),
  max: Number(process.env.DB_POOL_MAX ?? 10),
});
const app = buildBaselineApp({
  pool,
  publicKey: await importPublicKey(required("AUTH_PUBLIC_KEY")),
});

async function shutDown(): Promise<void> {
  await app.close();
  await pool.end();
}
process.once("SIGTERM", () => void shutDown());
process.once("SIGINT", () => void shutDown());

await app.listen({ port: Number(process.env.PORT ?? 8100), host: process.env.HOST ?? "127.0.0.1" });

export { databaseConfigFromEnv, databaseEnvSchema, DatabaseConfigError } from "./config.ts";
export type { DatabaseConfig, DatabaseDriver, DatabaseEnv } from "./config.ts";
export { createDatabase, migrate } from "./database.ts";
export type { Database } from "./database.ts";
export type { SqlRunner } from "./sql.ts";
export { MigrationError } from "./migrations/apply.ts";
export { isDatabaseUnavailableError } from "./errors.ts";
export { PrismaClient, Prisma } from "./generated/prisma/client.ts";
export type { IdempotencyKey, Task, TaskCount } from "./generated/prisma/client.ts";

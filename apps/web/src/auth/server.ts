import { PGlite } from "@electric-sql/pglite";
import {
  createAuth,
  developmentSecret,
  migrateAuthDatabase,
  type AuthDatabase,
  type TasksAuth,
} from "@tasks/better-auth-config";
import pg from "pg";
import { webEnv, type WebEnv } from "@/env";

/**
 * One Better Auth per process, on globalThis: Next.js bundles route handlers and
 * pages separately, and two PGlite instances on one folder would corrupt it.
 */
const globalAuth = globalThis as typeof globalThis & { tasksAuth?: Promise<TasksAuth> };

export function getAuth(): Promise<TasksAuth> {
  globalAuth.tasksAuth ??= startAuth(webEnv()).catch((error: unknown) => {
    globalAuth.tasksAuth = undefined;
    throw error;
  });
  return globalAuth.tasksAuth;
}

/** Better Auth on the configured database, its tables created or updated. */
export async function startAuth(env: WebEnv): Promise<TasksAuth> {
  const auth = createAuth({
    baseURL: env.authUrl,
    secret: await secretOf(env),
    database: await databaseOf(env),
    jwtExpirationTime: env.jwtExpirationTime,
    trustedOrigins: [env.authUrl],
  });
  await migrateAuthDatabase(auth);
  return auth;
}

function databaseOf(env: WebEnv): Promise<AuthDatabase> | AuthDatabase {
  if (!env.authDatabaseUrl) return PGlite.create(env.authPgliteDir);
  const pool = new pg.Pool({ connectionString: env.authDatabaseUrl });
  // An idle connection the server dropped (restart, failover) must not end the process;
  // the pool opens a new one for the next query.
  pool.on("error", (error) =>
    console.error(`Better Auth's PostgreSQL connection: ${error.message}`),
  );
  return pool;
}

/** A shared database is a deployment: it must be given the secret every instance signs with. */
async function secretOf(env: WebEnv): Promise<string> {
  if (env.authSecret) return env.authSecret;
  if (env.authDatabaseUrl)
    throw new Error("BETTER_AUTH_SECRET must be set with AUTH_DATABASE_URL.");
  return developmentSecret(env.authPgliteDir);
}

/** The signed-in user of a request, or null. */
export async function sessionOf(headers: Headers) {
  const auth = await getAuth();
  return auth.api.getSession({ headers });
}

/** A JWT for the request's user, minted on this server (no HTTP round trip), or null. */
export async function tokenOf(headers: Headers, auth?: TasksAuth): Promise<string | null> {
  auth ??= await getAuth();
  const result = await auth.api.getToken({ headers }).catch(() => null);
  return result?.token ?? null;
}

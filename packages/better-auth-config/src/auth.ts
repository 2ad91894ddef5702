import { PGlite } from "@electric-sql/pglite";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { jwt } from "better-auth/plugins";
import { Kysely, PGliteDialect, type PostgresPool } from "kysely";

/** Better Auth owns the table shapes; this package never queries them itself. */
export type AnyTables = Record<string, Record<string, unknown>>;

export type AuthJwtAlgorithm = "EdDSA" | "ES256" | "RS256" | "PS256";

/** A PGlite instance, a Kysely instance on PostgreSQL, or a `pg` Pool. */
export type AuthDatabase = PGlite | Kysely<AnyTables> | PostgresPool;

export interface AuthConfigOptions {
  /** Where Better Auth is served, e.g. `https://app.example.com`; also the tokens' `iss` and `aud`. */
  baseURL: string;
  /** BETTER_AUTH_SECRET: signs sessions and encrypts the stored JWT private keys. */
  secret: string;
  database: AuthDatabase;
  /** Signing algorithm of the JWT plugin. Default EdDSA (Ed25519). */
  jwtAlgorithm?: AuthJwtAlgorithm;
  /** How long a JWT is valid, in the jose notation (`"15m"`, `"30s"`). Default 15 minutes. */
  jwtExpirationTime?: string;
  trustedOrigins?: string[];
}

/** The same configuration serves the dev issuer here and a Next.js app's `/api/auth/[...all]` route. */
export function createAuth(options: AuthConfigOptions) {
  return betterAuth({
    baseURL: options.baseURL,
    secret: options.secret,
    database: databaseOption(options.database),
    trustedOrigins: options.trustedOrigins ?? [],
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    plugins: [
      jwt({
        jwks: { keyPairConfig: { alg: options.jwtAlgorithm ?? "EdDSA" } },
        jwt: {
          issuer: options.baseURL,
          audience: options.baseURL,
          expirationTime: options.jwtExpirationTime ?? "15m",
          // `sub` is the user id (the plugin's default subject); keep the rest of the user out of the token.
          definePayload: ({ user }) => ({ email: user.email, name: user.name }),
        },
      }),
    ],
  });
}

export type TasksAuth = ReturnType<typeof createAuth>;

/** Creates or updates Better Auth's tables (user, session, account, verification, jwks). */
export async function migrateAuthDatabase(
  authOrOptions: TasksAuth | AuthConfigOptions,
): Promise<void> {
  const auth = "handler" in authOrOptions ? authOrOptions : createAuth(authOrOptions);
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
}

function databaseOption(database: AuthDatabase) {
  if (database instanceof PGlite) {
    return {
      db: new Kysely<AnyTables>({ dialect: new PGliteDialect({ pglite: database }) }),
      type: "postgres" as const,
    };
  }
  if (database instanceof Kysely) return { db: database, type: "postgres" as const };
  return database;
}

import path from "node:path";

/** The web app's settings, read on the server at request time (never inlined into the bundle). */
export interface WebEnv {
  /** The API as the browser reaches it. */
  apiUrl: string;
  /** The API as this server reaches it (server components); defaults to apiUrl. */
  apiInternalUrl: string;
  /** Where Better Auth is served: the tokens' `iss` and `aud`, and the API's JWKS host. */
  authUrl: string;
  /** Unset with the embedded database: a development secret is kept beside it. */
  authSecret: string | undefined;
  /** PostgreSQL for Better Auth's tables; unset means embedded PGlite in `authPgliteDir`. */
  authDatabaseUrl: string | undefined;
  authPgliteDir: string;
  jwtExpirationTime: string;
}

const trimmed = (value: string | undefined) => value?.trim() || undefined;
const withoutSlash = (url: string) => url.replace(/\/+$/, "");

export function webEnv(env: Record<string, string | undefined> = process.env): WebEnv {
  const apiUrl = withoutSlash(trimmed(env.API_URL) ?? "http://127.0.0.1:8000");
  const pgliteDir = trimmed(env.AUTH_PGLITE_DIR) ?? ".data/auth-pglite";
  return {
    apiUrl,
    apiInternalUrl: withoutSlash(trimmed(env.API_INTERNAL_URL) ?? apiUrl),
    authUrl: withoutSlash(trimmed(env.BETTER_AUTH_URL) ?? "http://127.0.0.1:3000"),
    authSecret: trimmed(env.BETTER_AUTH_SECRET),
    authDatabaseUrl: trimmed(env.AUTH_DATABASE_URL),
    authPgliteDir: pgliteDir.startsWith("memory://")
      ? pgliteDir
      : path.resolve(/* turbopackIgnore: true */ pgliteDir),
    jwtExpirationTime: trimmed(env.AUTH_JWT_EXPIRES_IN) ?? "15m",
  };
}

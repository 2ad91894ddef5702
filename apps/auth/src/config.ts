import { fileURLToPath } from "node:url";
import path from "node:path";
import type { AuthJwtAlgorithm } from "@tasks/better-auth-config";

export interface IssuerConfig {
  host: string;
  port: number;
  baseURL: string;
  /** Unset: a development secret is generated and kept next to the database. */
  secret: string | undefined;
  /** A folder (absolute) or `memory://`. */
  pgliteDir: string;
  jwtAlgorithm: AuthJwtAlgorithm;
  trustedOrigins: string[];
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const jwtAlgorithms: readonly AuthJwtAlgorithm[] = ["EdDSA", "ES256", "RS256", "PS256"];

/** Reads the issuer's environment; throws one line per problem. */
export function issuerConfigFromEnv(env: NodeJS.ProcessEnv): IssuerConfig {
  const problems: string[] = [];
  const port = Number(env.AUTH_ISSUER_PORT || 8001);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push("AUTH_ISSUER_PORT must be a port number.");
  const jwtAlgorithm = (env.AUTH_JWT_ALGORITHM || "EdDSA") as AuthJwtAlgorithm;
  if (!jwtAlgorithms.includes(jwtAlgorithm)) {
    problems.push(`AUTH_JWT_ALGORITHM must be one of ${jwtAlgorithms.join(", ")}.`);
  }
  const baseURL = env.BETTER_AUTH_URL || `http://127.0.0.1:${port}`;
  if (!URL.canParse(baseURL)) problems.push("BETTER_AUTH_URL must be a URL.");
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return {
    host: env.AUTH_ISSUER_HOST || "127.0.0.1",
    port,
    baseURL: baseURL.replace(/\/$/, ""),
    secret: env.BETTER_AUTH_SECRET || undefined,
    pgliteDir: resolveDataDir(env.AUTH_PGLITE_DIR || ".data/auth-pglite"),
    jwtAlgorithm,
    trustedOrigins: (env.AUTH_TRUSTED_ORIGINS || "http://localhost:3000")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}

function resolveDataDir(dir: string): string {
  return dir.startsWith("memory://") ? dir : path.resolve(repoRoot, dir);
}

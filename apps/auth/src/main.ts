import { issuerConfigFromEnv } from "./config.ts";
import { startIssuer } from "./issuer.ts";
import { developmentSecret } from "@tasks/better-auth-config";

/** A headless Better Auth issuer: `pnpm --filter @tasks/auth-app issuer` (the product's is the web app). */
async function main(): Promise<void> {
  const config = issuerConfigFromEnv(process.env);
  if (!config.secret && process.env.NODE_ENV === "production") {
    throw new Error("BETTER_AUTH_SECRET must be set in production.");
  }
  const issuer = await startIssuer({
    host: config.host,
    port: config.port,
    baseURL: config.baseURL,
    secret: config.secret ?? (await developmentSecret(config.pgliteDir)),
    pgliteDir: config.pgliteDir,
    jwtAlgorithm: config.jwtAlgorithm,
    trustedOrigins: config.trustedOrigins,
  });
  process.stdout.write(
    `Better Auth issuer (${config.jwtAlgorithm}) listening at ${issuer.baseURL}, JWKS at ${issuer.jwksUrl}\n`,
  );
  const shutdown = () => {
    issuer.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { fetchDevToken, IssuerNotRunningError } from "./dev-token.ts";

/**
 * `pnpm dev:token alice@example.com`: prints a JWT for that development user (signed up on first use)
 * from the running issuer, and nothing else, so `TOKEN=$(pnpm -s dev:token alice@example.com)` works.
 */
const email = process.argv[2];
const baseURL = process.env.BETTER_AUTH_URL || "http://127.0.0.1:8001";
const password = process.env.AUTH_DEV_PASSWORD || "tasks-dev-password";

if (!email?.includes("@")) {
  console.error("Usage: pnpm dev:token <email>");
  process.exit(1);
}

try {
  process.stdout.write(`${await fetchDevToken(baseURL, email, password)}\n`);
} catch (error) {
  if (error instanceof IssuerNotRunningError) {
    console.error(`${error.message} Start it with: pnpm --filter @tasks/auth-app dev`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}

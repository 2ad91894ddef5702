import { fetchDevToken, IssuerNotRunningError } from "./dev-token.ts";
import { devIssuerUrl, devPassword } from "./dev-user.ts";

/**
 * `pnpm dev:token alice@example.com`: prints a JWT for that development user (signed up on first use)
 * from the running web app's Better Auth (or any issuer at BETTER_AUTH_URL), and nothing else, so `TOKEN=$(pnpm -s dev:token alice@example.com)` works.
 */
const email = process.argv[2];
const baseURL = devIssuerUrl(process.env);
const password = devPassword(process.env);

if (!email?.includes("@")) {
  console.error("Usage: pnpm dev:token <email>");
  process.exit(1);
}

try {
  process.stdout.write(`${await fetchDevToken(baseURL, email, password)}\n`);
} catch (error) {
  if (error instanceof IssuerNotRunningError) {
    console.error(`${error.message} Start the web app (it hosts Better Auth) with: pnpm start`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}

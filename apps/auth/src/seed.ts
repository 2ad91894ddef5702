import { fetchDevToken, IssuerNotRunningError } from "./dev-token.ts";
import { devApiUrl, devIssuerUrl, devPassword } from "./dev-user.ts";
import { ApiNotRunningError, seedTasks } from "./seed-tasks.ts";

/**
 * `pnpm db:seed [email]`: a development user (signed up with the running issuer on first use)
 * with a realistic set of tasks, created through the running API. Running it again adds nothing.
 */
const email = process.argv[2] || "dev@example.com";
const issuerUrl = devIssuerUrl(process.env);
const apiUrl = devApiUrl(process.env);
const password = devPassword(process.env);

const tasks = (count: number) => `${count} ${count === 1 ? "task" : "tasks"}`;

try {
  const token = await fetchDevToken(issuerUrl, email, password);
  const { created, existing } = await seedTasks(apiUrl, token);
  const issuerPrefix = process.env.BETTER_AUTH_URL ? `BETTER_AUTH_URL=${issuerUrl} ` : "";
  process.stdout.write(
    [
      `Seeded ${email} at ${apiUrl}: ${tasks(created)} created, ${existing} already there.`,
      `  email:    ${email}`,
      `  password: ${password}`,
      `  token:    TOKEN=$(${issuerPrefix}pnpm -s dev:token ${email})`,
      "",
    ].join("\n"),
  );
} catch (error) {
  if (error instanceof IssuerNotRunningError || error instanceof ApiNotRunningError) {
    console.error(`${error.message} Start the product with: pnpm start`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}

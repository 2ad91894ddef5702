/** Where the development tools (`pnpm dev:token`, `pnpm db:seed`) find the product, and the password they use. */
export function devIssuerUrl(env: NodeJS.ProcessEnv): string {
  return env.BETTER_AUTH_URL || "http://127.0.0.1:3000";
}

export function devApiUrl(env: NodeJS.ProcessEnv): string {
  return env.TASKS_API_URL || "http://127.0.0.1:8000";
}

export function devPassword(env: NodeJS.ProcessEnv): string {
  return env.AUTH_DEV_PASSWORD || "tasks-dev-password";
}

import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Redis } from "ioredis";
import type { ServerSettings } from "../config.ts";
import { problem, ProblemError } from "@tasks/api";

export type RateLimitConfig = Pick<
  ServerSettings,
  "RATE_LIMIT_MAX" | "RATE_LIMIT_WINDOW_MS" | "REDIS_URL"
>;

/** The headers @fastify/rate-limit sets on every limited response. */
export const RATE_LIMIT_HEADERS = [
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
] as const;

/** One budget per user once the token is checked; per client address otherwise. */
function budgetKey(request: FastifyRequest): string {
  return request.auth?.ok ? `user:${request.auth.user.id}` : `ip:${request.ip}`;
}

/** Fails fast when Redis is away, so a rate-limit lookup never holds a request up. */
function connectRedis(url: string): Redis {
  return new Redis(url, {
    connectTimeout: 1_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
}

/**
 * Applies to every route registered after it (routes opt out with
 * `config: { rateLimit: false }`). Its hook is route-level `onRequest`, so it runs
 * after the authentication hook has set `request.auth`.
 */
export async function rateLimits(
  app: FastifyInstance,
  config: RateLimitConfig,
  nameSpace = "tasks-rl:",
): Promise<void> {
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL) : undefined;
  if (redis) {
    redis.on("error", (error) => app.log.warn({ err: error }, "rate-limit store unavailable"));
    app.addHook("onClose", async () => {
      redis.disconnect();
    });
  }
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: budgetKey,
    ...(redis && { redis, nameSpace }),
    // A store outage must not take the API down with it: requests pass unlimited.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new ProblemError(
        problem("rateLimited", { seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
      ),
  });
}

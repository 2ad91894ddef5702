import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Redis } from "ioredis";
import { z } from "zod";
import type { ServerSettings } from "../config.ts";
import { problem, ProblemError } from "@tasks/api";

export type RateLimitConfig = Pick<
  ServerSettings,
  "RATE_LIMIT_MAX" | "RATE_LIMIT_WINDOW_MS" | "REDIS_URL"
>;

/**
 * The headers @fastify/rate-limit sets on every limited response, spelt as GitHub's
 * API and OWASP's lint rules spell them (HTTP compares header names without case).
 */
export const RATE_LIMIT_HEADERS = [
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
] as const;

type RateLimitHeader = (typeof RATE_LIMIT_HEADERS)[number];

/** What each rate-limit header holds under this configuration, for the OpenAPI document. */
export function rateLimitHeaderRules(
  config: Pick<RateLimitConfig, "RATE_LIMIT_MAX" | "RATE_LIMIT_WINDOW_MS">,
): Record<RateLimitHeader, { description: string; schema: z.ZodType }> {
  const windowSeconds = Math.ceil(config.RATE_LIMIT_WINDOW_MS / 1000);
  return {
    "X-RateLimit-Limit": {
      description: "Requests allowed per window (RATE_LIMIT_MAX)",
      schema: z.int32().min(config.RATE_LIMIT_MAX).max(config.RATE_LIMIT_MAX),
    },
    "X-RateLimit-Remaining": {
      description: "Requests left in the current window",
      schema: z.int32().min(0).max(config.RATE_LIMIT_MAX),
    },
    "X-RateLimit-Reset": {
      description: "Seconds until the current window ends",
      schema: z.int32().min(0).max(windowSeconds),
    },
  };
}

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

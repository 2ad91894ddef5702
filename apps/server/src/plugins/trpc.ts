import { appRouter, createContext, type AppRouter, type Context } from "@tasks/api";
import type { Database } from "@tasks/db";
import type { TRPCError } from "@trpc/server";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import type { FastifyInstance } from "fastify";
import { bearerChallenge } from "../errors/classify.ts";
import { retryLater } from "../errors/problem.ts";
import { authOf } from "./authentication.ts";

/** Headers API.md asks for on 401 and 503, which tRPC's own responses do not carry. */
function errorHeaders(
  ctx: Context | undefined,
  errors: readonly TRPCError[],
): Record<string, string> {
  const codes = new Set(errors.map((error) => error.code));
  const reason = ctx && !ctx.auth.ok ? ctx.auth.error.reason : undefined;
  return {
    ...(codes.has("SERVICE_UNAVAILABLE") && retryLater),
    ...(codes.has("UNAUTHORIZED") && { "www-authenticate": bearerChallenge(reason) }),
  };
}

/**
 * The official adapter at `/trpc` (batching on). Procedures answer an
 * unauthenticated call themselves, with UNAUTHORIZED and the reason.
 */
export async function trpcEndpoint(scope: FastifyInstance, db: Database): Promise<void> {
  const options: FastifyTRPCPluginOptions<AppRouter> = {
    trpcOptions: {
      router: appRouter,
      allowBatching: true,
      createContext: ({ req }) =>
        createContext({ db, auth: authOf(req), requestId: req.id, logger: req.log }),
      responseMeta: ({ ctx, errors }) => ({ headers: errorHeaders(ctx, errors) }),
    },
  };
  await scope.register(fastifyTRPCPlugin, { prefix: "/trpc", ...options });
}

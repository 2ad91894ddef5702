import { appRouter, type AppRouter, type Context } from "@tasks/api";
import type { Database } from "@tasks/db";
import type { TRPCError } from "@trpc/server";
import {
  fastifyRequestHandler,
  type FastifyTRPCPluginOptions,
} from "@trpc/server/adapters/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerChallenge } from "../errors/classify.ts";
import { retryLater } from "../errors/problem.ts";
import { plainCallsOf } from "../trpc/plain-calls.ts";
import { answerPlainCalls } from "../trpc/plain-response.ts";
import { procedureContextOf } from "./authentication.ts";

type TrpcRequest = FastifyRequest<{ Params: { path: string } }>;

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

/** tRPC's official Fastify handler: streaming, SSE and every malformed call. */
async function officialHandler(request: TrpcRequest, reply: FastifyReply, db: Database) {
  const trpcOptions: FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] = {
    router: appRouter,
    allowBatching: true,
    createContext: () => procedureContextOf(request, db),
    responseMeta: ({ ctx, errors }) => ({ headers: errorHeaders(ctx, errors) }),
  };
  await fastifyRequestHandler({
    ...trpcOptions,
    req: request,
    res: reply,
    path: request.params.path,
  });
}

/**
 * `/trpc/:path` with batching on. Plain JSON calls (every call of `httpLink` and
 * `httpBatchLink`) are answered directly from tRPC's public pieces; the rest goes
 * to tRPC's own handler. Procedures answer an unauthenticated call themselves,
 * with UNAUTHORIZED and the reason.
 */
export async function trpcEndpoint(scope: FastifyInstance, db: Database): Promise<void> {
  await scope.register(async (trpc) => {
    // tRPC parses the body itself: hand it the text.
    trpc.removeContentTypeParser("application/json");
    trpc.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) =>
      done(null, body),
    );
    trpc.all<{ Params: { path: string } }>("/trpc/:path", async (request, reply) => {
      const plain = plainCallsOf(appRouter, request);
      if (!plain) return officialHandler(request, reply, db);
      const ctx = procedureContextOf(request, db);
      const answer = await answerPlainCalls(appRouter, ctx, plain);
      return reply
        .code(answer.status)
        .headers({
          "content-type": "application/json",
          vary: "trpc-accept, accept",
          ...errorHeaders(ctx, answer.errors),
        })
        .send(answer.body);
    });
  });
}

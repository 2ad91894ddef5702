import { Readable } from "node:stream";
import {
  appRouter,
  problem,
  ProblemError,
  problemOfTRPCError,
  type AppRouter,
  type ProcedureServices,
} from "@tasks/api";
import type { TRPCError } from "@trpc/server";
import {
  fastifyRequestHandler,
  type FastifyTRPCPluginOptions,
} from "@trpc/server/adapters/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { plainCallsOf } from "../trpc/plain-calls.ts";
import { answerPlainCalls } from "../trpc/plain-response.ts";
import { procedureContextOf, refuseUnauthenticated } from "./authentication.ts";
import { jsonText } from "./error-handling.ts";
import { appendVary } from "./response-headers.ts";

/** What tRPC's answers vary on, besides Origin. */
const TRPC_VARY = "trpc-accept, accept";

type TrpcRequest = FastifyRequest<{ Params: { path: string } }>;

/**
 * Above this size a batch's answer is streamed piece by piece rather than joined:
 * a large batch is then never held twice. Below it one buffer is one write with a
 * Content-Length, where a stream costs a write per piece and chunked framing.
 */
const STREAM_ABOVE_BYTES = 1024 * 1024;

function bodyOf(chunks: readonly Buffer[]): Buffer | Readable {
  if (chunks.length === 1) return chunks[0] as Buffer;
  const size = chunks.reduce((total, chunk) => total + chunk.length, 0);
  return size > STREAM_ABOVE_BYTES ? Readable.from(chunks) : Buffer.concat(chunks, size);
}

/** The catalogue's headers (WWW-Authenticate, Retry-After, ...) for the errors of a response. */
function errorHeaders(errors: readonly TRPCError[]): Record<string, string> {
  return Object.assign({}, ...errors.map((error) => problemOfTRPCError(error).headers));
}

/** tRPC's official Fastify handler: streaming, SSE and every malformed call. */
async function officialHandler(
  request: TrpcRequest,
  reply: FastifyReply,
  { services, maxBatchSize }: TrpcEndpointOptions,
) {
  const trpcOptions: FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] = {
    router: appRouter,
    allowBatching: true,
    maxBatchSize,
    createContext: () => procedureContextOf(request, services, reply),
    // Appended to tRPC's own Vary, which replaces the one CORS set.
    responseMeta: ({ errors }) => ({ headers: { vary: ["Origin"], ...errorHeaders(errors) } }),
  };
  await fastifyRequestHandler({
    ...trpcOptions,
    req: request,
    res: reply,
    path: request.params.path,
  });
}

function callCountOf(request: TrpcRequest): number {
  const { batch } = request.query as Record<string, unknown>;
  return batch === "1" ? request.params.path.split(",").length : 1;
}

/**
 * A batch is refused whole beyond `maxBatchSize` calls, and each call past the
 * first costs one more unit of the caller's rate limit (the route's own hook
 * charged the first), before any of it is read.
 */
function limitBatches(scope: FastifyInstance, maxBatchSize: number) {
  const charge = scope.createRateLimit();
  return async (request: TrpcRequest, reply: FastifyReply): Promise<void> => {
    const count = callCountOf(request);
    if (count > maxBatchSize) {
      throw new ProblemError(problem("batchTooLarge", { limit: maxBatchSize, count }));
    }
    for (let call = 1; call < count; call += 1) {
      const budget = await charge(request);
      if (budget.isAllowed) return;
      reply.header("x-ratelimit-remaining", budget.remaining);
      if (budget.isExceeded) {
        throw new ProblemError(problem("rateLimited", { seconds: budget.ttlInSeconds }));
      }
    }
  };
}

export interface TrpcEndpointOptions {
  services: ProcedureServices;
  maxBatchSize: number;
  /** TRPC_FAST_PATH: answer plain calls from tRPC's public pieces (default), or send all to its handler. */
  fastPath: boolean;
}

/**
 * `/trpc/:path` with batching on. Plain JSON calls (every call of `httpLink` and
 * `httpBatchLink`) are answered directly from tRPC's public pieces; the rest goes
 * to tRPC's own handler (everything, with TRPC_FAST_PATH=false). A call without a valid
 * token is refused before its body or batch is read, as on REST.
 */
export async function trpcEndpoint(
  scope: FastifyInstance,
  options: TrpcEndpointOptions,
): Promise<void> {
  const { services, maxBatchSize } = options;
  await scope.register(async (trpc) => {
    // tRPC parses the body itself: hand it the text.
    trpc.removeContentTypeParser("application/json");
    trpc.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => {
      const text = jsonText(body);
      if (text instanceof ProblemError) done(text, undefined);
      else done(null, text);
    });
    const batchLimit = limitBatches(trpc, maxBatchSize);
    trpc.addHook("onRequest", async (_request, reply) => {
      appendVary(reply, TRPC_VARY);
    });
    trpc.all<{ Params: { path: string } }>(
      "/trpc/:path",
      {
        preParsing: async (request, reply) => {
          await refuseUnauthenticated(request);
          await batchLimit(request, reply);
        },
      },
      async (request, reply) => {
        const plain = options.fastPath ? plainCallsOf(appRouter, request) : null;
        if (!plain) return officialHandler(request, reply, options);
        const answer = await answerPlainCalls(
          appRouter,
          procedureContextOf(request, services, reply),
          plain,
        );
        return reply
          .code(answer.status)
          .headers({
            "content-type": "application/json",
            ...errorHeaders(answer.errors),
          })
          .send(bodyOf(answer.chunks));
      },
    );
  });
}

import { Readable } from "node:stream";
import { problem, ProblemError, type ProcedureServices } from "@tasks/api";
import { openTaskFeed, streamStart, type FeedItem } from "@tasks/api/live";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { authOf, procedureContextOf, refuseUnauthenticated } from "../plugins/authentication.ts";
import { problemResponses } from "./openapi-responses.ts";
import { REST_PREFIX } from "./route-table.ts";

/** How soon an EventSource should reconnect after the stream ends (its `retry:` field). */
const RECONNECT_AFTER_MS = 1_000;

const KEEP_ALIVE = Symbol("keep-alive");

/** What opening the stream can answer besides 200. */
const STREAM_ERRORS = [
  "unauthenticated",
  "rateLimited",
  "tooManyStreams",
  "unexpected",
  "databaseUnavailable",
  "issuerUnavailable",
] as const;

/** One event as `text/event-stream` carries it; JSON escapes every line break. */
function frameOf(item: FeedItem): string {
  return `id: ${item.id}\nevent: ${item.event.type}\ndata: ${JSON.stringify(item.event)}\n\n`;
}

function tick(ms: number): { done: Promise<typeof KEEP_ALIVE>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<typeof KEEP_ALIVE>((resolve) => {
    timer = setTimeout(() => resolve(KEEP_ALIVE), ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}

/**
 * The feed as SSE frames, with a comment whenever it has been quiet for
 * `keepAliveMs` (so proxies and the server's own idle timeout keep the connection).
 * Pulled by the response stream, so a slow client slows the feed's reads, never
 * fills memory.
 */
async function* sseFrames(
  feed: AsyncGenerator<FeedItem, void>,
  keepAliveMs: number,
): AsyncGenerator<string, void> {
  yield `retry: ${RECONNECT_AFTER_MS}\n\n`;
  try {
    let next = feed.next();
    for (;;) {
      const quiet = tick(keepAliveMs);
      const result = await Promise.race([next, quiet.done]);
      quiet.cancel();
      if (result === KEEP_ALIVE) {
        yield ": keep-alive\n\n";
        continue;
      }
      if (result.done) return;
      yield frameOf(result.value);
      next = feed.next();
    }
  } finally {
    await feed.return();
  }
}

/**
 * `GET /api/v1/tasks/events`: the feed of `tasks.onChange` for REST clients, resumed
 * after `Last-Event-ID`. It ends at the token's expiry and at shutdown, and the
 * client's EventSource reconnects (with `Last-Event-ID`) to resume.
 */
export function taskEventsRoute(
  scope: FastifyInstance,
  services: ProcedureServices,
  keepAliveMs: number,
): void {
  scope.get(
    `${REST_PREFIX}/tasks/events`,
    {
      schema: {
        operationId: "taskEvents",
        summary: "Stream the caller's task changes (text/event-stream; resume with Last-Event-ID)",
        tags: ["tasks"],
        security: [{ bearerAuth: [] }],
        headers: z.object({
          "last-event-id": z
            .string()
            .optional()
            .describe("The id of the last event seen: the stream resumes after it"),
        }),
        response: {
          200: {
            description:
              "Events as `id:`, `event:` (the type) and `data:` (the event as JSON) lines, with keep-alive comments; `reset` means refetch",
            content: { "text/event-stream": { schema: z.string() } },
          },
          ...problemResponses(STREAM_ERRORS),
        },
      },
      preParsing: refuseUnauthenticated,
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const auth = authOf(request);
      if (!auth.ok) throw new Error("refuseUnauthenticated lets no such request through");
      const clientGone = new AbortController();
      reply.raw.once("close", () => clientGone.abort());
      const header = request.headers["last-event-id"];
      const lastEventId = await streamStart(
        services.db,
        auth.user.id,
        typeof header === "string" ? header : undefined,
      );
      const context = procedureContextOf(request, services, reply);
      const feed = openTaskFeed(context, auth.user, lastEventId, clientGone.signal);
      if (!feed) {
        throw new ProblemError(
          problem("tooManyStreams", { max: services.live.streams.maxPerUser }),
        );
      }
      reply.headers({
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
      return reply.send(Readable.from(sseFrames(feed, keepAliveMs)));
    },
  );
}

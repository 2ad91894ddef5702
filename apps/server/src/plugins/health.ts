import { problem } from "@tasks/api";
import type { Database } from "@tasks/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponse } from "../rest/openapi-responses.ts";
import { sendProblem } from "./error-handling.ts";

const READY_TIMEOUT_MS = 2_000;

async function pingWithin(db: Pick<Database, "ping">, milliseconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, milliseconds, false);
  });
  try {
    return await Promise.race([db.ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const probe = { config: { rateLimit: false }, logLevel: "warn" } as const;

/** What both probes' operations share in the OpenAPI document: no token needed. */
const probeSchema = { tags: ["operations"], security: [] };

/** Probes for orchestrators: no token, no rate limit. */
export function healthRoutes(app: FastifyInstance, db: Pick<Database, "ping">): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    "/health",
    {
      ...probe,
      schema: {
        operationId: "health",
        summary: "The process is up",
        ...probeSchema,
        response: {
          200: z.object({ status: z.literal("ok") }).describe("Up"),
          500: errorResponse("unexpected"),
        },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  typed.get(
    "/ready",
    {
      ...probe,
      schema: {
        operationId: "ready",
        summary: "The database answers",
        ...probeSchema,
        response: {
          200: z.object({ status: z.literal("ready") }).describe("Ready"),
          500: errorResponse("unexpected"),
          503: errorResponse("databaseUnavailable"),
        },
      },
    },
    async (request, reply) => {
      if (await pingWithin(db, READY_TIMEOUT_MS)) return { status: "ready" as const };
      return sendProblem(request, reply, problem("databaseUnavailable"));
    },
  );
}

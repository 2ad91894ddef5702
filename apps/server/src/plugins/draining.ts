import { problem } from "@tasks/api";
import type { FastifyInstance } from "fastify";
import { sendProblem } from "./error-handling.ts";

/**
 * Requests that arrive on open keep-alive connections once `close()` has begun get
 * a 503 in API.md's shape, with Retry-After, and their connection closed. (Fastify's
 * own `return503OnClosing` answer has a body of its own and no Retry-After, so it
 * is turned off.)
 */
export function refuseWhileDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook("preClose", async () => {
    draining = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    if (!draining) return;
    reply.header("connection", "close");
    return sendProblem(request, reply, problem("shuttingDown"));
  });
}

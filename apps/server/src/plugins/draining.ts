import type { FastifyInstance } from "fastify";
import { retryLater, type Problem } from "../errors/problem.ts";
import { sendProblem } from "./error-handling.ts";

const SHUTTING_DOWN_PROBLEM: Problem = {
  status: 503,
  detail: "The server is shutting down; try again shortly.",
  headers: { ...retryLater, connection: "close" },
};

/**
 * Requests that arrive on open keep-alive connections once `close()` has begun get
 * a 503 in API.md's shape, with Retry-After. (Fastify's own `return503OnClosing`
 * answer has a body of its own and no Retry-After, so it is turned off.)
 */
export function refuseWhileDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook("preClose", async () => {
    draining = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    if (draining) return sendProblem(request, reply, SHUTTING_DOWN_PROBLEM);
  });
}

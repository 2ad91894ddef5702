import type { FastifyInstance, FastifyReply } from "fastify";

/** A response with a user's data: no cache may keep it. */
export const NO_STORE = { "cache-control": "no-store" } as const;

/** A single task: caches may keep it privately, but must revalidate it (If-None-Match). */
export const PRIVATE_REVALIDATE = { "cache-control": "private, no-cache" } as const;

/** Adds `names` to the response's Vary header, keeping what is there. */
export function appendVary(reply: FastifyReply, names: string): void {
  const current = String(reply.getHeader("vary") ?? "");
  const listed = new Set(current.split(",").map((name) => name.trim().toLowerCase()));
  const missing = names.split(",").filter((name) => !listed.has(name.trim().toLowerCase()));
  if (missing.length === 0) return;
  reply.header("vary", [current, ...missing.map((name) => name.trim())].filter(Boolean).join(", "));
}

/**
 * Every response of the scope (the API's) is private by default, and keeps
 * `Vary: Origin` whatever a handler wrote to Vary (tRPC's handler sets its own).
 */
export function privateResponses(scope: FastifyInstance): void {
  scope.addHook("onRequest", async (_request, reply) => {
    reply.headers(NO_STORE);
  });
  scope.addHook("onSend", async (_request, reply) => {
    appendVary(reply, "Origin");
  });
}

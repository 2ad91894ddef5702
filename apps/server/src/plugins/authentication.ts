import {
  authProblem,
  createContext,
  ProblemError,
  type Context,
  type ProcedureServices,
} from "@tasks/api";
import type { AuthResult, TokenVerifier } from "@tasks/auth";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    /** The outcome of checking the bearer token; set on the API routes only. */
    auth: AuthResult | null;
  }
}

/**
 * Checks the bearer token of every request in this (encapsulated) scope once, in
 * `onRequest`, so the rate limiter can key on the user and nothing is parsed first.
 */
export function authenticateRequests(scope: FastifyInstance, verifier: TokenVerifier): void {
  scope.decorateRequest("auth", null);
  scope.addHook("onRequest", async (request) => {
    request.auth = await verifier.authenticate(request.headers.authorization);
  });
}

export function authOf(request: FastifyRequest): AuthResult {
  if (!request.auth) throw new Error("authenticateRequests() does not cover this route");
  return request.auth;
}

/**
 * The procedures' context for a request, the same for the tRPC endpoint and the
 * REST façade; a create answered from its idempotency key says so on the reply.
 */
export function procedureContextOf(
  request: FastifyRequest,
  services: ProcedureServices,
  reply: FastifyReply,
): Context {
  return createContext({
    ...services,
    auth: authOf(request),
    requestId: request.id,
    logger: request.log,
    onIdempotentReplay: () => reply.header("idempotent-replayed", "true"),
  });
}

/**
 * API routes refuse a request without a valid token before its body is read or
 * validated (401 whatever else is wrong with it). `preParsing` runs after every
 * `onRequest` hook, so refused requests still count against the rate limit.
 */
export async function refuseUnauthenticated(request: FastifyRequest): Promise<void> {
  const auth = authOf(request);
  if (!auth.ok) throw new ProblemError(authProblem(auth.error));
}

import { describeIssues, fieldIssuesOf, publicMessage, type FieldIssue } from "@tasks/api";
import type { AuthError } from "@tasks/auth";
import { isDatabaseUnavailableError } from "@tasks/db";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { DATABASE_UNAVAILABLE_PROBLEM, retryLater, type Problem } from "./problem.ts";
import { AuthenticationRefused, InvalidInput, RateLimited } from "./request-errors.ts";

/** RFC 6750 §3: no error code when no credentials were sent, `invalid_token` otherwise. */
export function bearerChallenge(reason: AuthError["reason"] | undefined): string {
  return reason === "missing" ? "Bearer" : 'Bearer error="invalid_token"';
}

export function authProblem(error: AuthError): Problem {
  if (error.reason === "issuer_unavailable") {
    return { status: 503, detail: error.message, headers: retryLater };
  }
  return {
    status: 401,
    detail: error.message,
    headers: { "www-authenticate": bearerChallenge(error.reason) },
  };
}

function invalidInputProblem(issues: FieldIssue[]): Problem {
  return { status: 422, detail: describeIssues(issues), errors: issues };
}

/** A procedure's error, already given its public meaning by the API package. */
export function procedureProblem(error: TRPCError): Problem {
  const status = getHTTPStatusCodeFromError(error);
  const detail = publicMessage(error);
  if (status === 422) return invalidInputProblem(fieldIssuesOf(error) ?? []);
  if (status === 503) return { status, detail, headers: retryLater };
  if (status === 401) {
    return { status, detail, headers: { "www-authenticate": bearerChallenge(undefined) } };
  }
  return { status, detail };
}

/** `/title` (JSON pointer of the type provider) becomes `title`, as procedures report it. */
function issuePath(instancePath: string): string {
  return instancePath.split("/").filter(Boolean).join(".");
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

function isFastifyLikeError(error: unknown): error is FastifyLikeError {
  return error instanceof Error && typeof Reflect.get(error, "statusCode") === "number";
}

function edgeProblem(error: FastifyLikeError, bodyLimit: number): Problem | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 413,
        detail: `The request body is larger than the limit of ${bodyLimit} bytes.`,
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        detail: "Request bodies must be JSON, sent with Content-Type: application/json.",
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, detail: "The request body is not valid JSON." };
  }
  const status = error.statusCode ?? 500;
  // Fastify's own client errors describe the request, never the server.
  return status >= 400 && status < 500 ? { status, detail: error.message } : undefined;
}

/**
 * The public meaning of any error that reaches the edge, or `undefined` for an
 * unexpected one (a 500 whose cause must only be logged).
 */
export function problemOf(error: unknown, bodyLimit: number): Problem | undefined {
  if (error instanceof AuthenticationRefused) return authProblem(error.authError);
  if (error instanceof TRPCError) return procedureProblem(error);
  if (error instanceof InvalidInput) return invalidInputProblem(error.issues);
  if (error instanceof RateLimited) {
    return {
      status: 429,
      detail: error.message,
      headers: { "retry-after": String(error.retryAfterSeconds) },
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: issuePath(issue.instancePath),
      message: issue.message ?? "is invalid",
    }));
    return invalidInputProblem(issues);
  }
  if (isDatabaseUnavailableError(error)) return DATABASE_UNAVAILABLE_PROBLEM;
  return isFastifyLikeError(error) ? edgeProblem(error, bodyLimit) : undefined;
}

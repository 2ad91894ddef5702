import { AuthError } from "@tasks/auth";
import { isDatabaseUnavailableError, isWriteConflictError } from "@tasks/db";
import type { TRPCError } from "@trpc/server";
import type { FieldIssue } from "./catalogue.ts";
import { problem, ProblemError, type Problem } from "./problem.ts";

interface IssueLike {
  path?: readonly (PropertyKey | { key: PropertyKey })[];
  message: string;
}

function hasIssues(cause: unknown): cause is { issues: IssueLike[] } {
  return typeof cause === "object" && cause !== null && Array.isArray(Reflect.get(cause, "issues"));
}

function toFieldIssue(issue: IssueLike): FieldIssue {
  const path = (issue.path ?? []).map((part) => String(typeof part === "object" ? part.key : part));
  return { path: path.join("."), message: issue.message };
}

/** The problem of a refused token: 503 when the issuer is away (the token may be fine), else 401. */
export function authProblem(error: AuthError): Problem {
  return error.reason === "issuer_unavailable"
    ? problem("issuerUnavailable", { error })
    : problem("unauthenticated", { error });
}

/** tRPC's own refusals (before a procedure runs), in the catalogue's terms. */
function trpcRefusal(error: TRPCError): Problem {
  switch (error.code) {
    case "PARSE_ERROR":
      return problem("malformedJson");
    case "NOT_FOUND":
      return problem("procedureNotFound");
    case "METHOD_NOT_SUPPORTED":
      return problem("procedureMethodNotAllowed");
    case "BAD_REQUEST":
      return problem("malformedRequest", { reason: error.message.replace(/\.$/, "") });
    case "UNSUPPORTED_MEDIA_TYPE":
      return problem("unsupportedMediaType");
    default:
      return problem("unexpected");
  }
}

/**
 * The public meaning of a procedure's error: a catalogue problem it carries, a
 * validation failure (422), an unreachable database (503), one of tRPC's own
 * refusals, or else an unexpected error that says nothing of its cause.
 */
export function problemOfTRPCError(error: TRPCError): Problem {
  const { cause } = error;
  if (cause instanceof ProblemError) return cause.problem;
  if (cause instanceof AuthError) return authProblem(cause);
  if (hasIssues(cause)) return problem("invalidInput", { issues: cause.issues.map(toFieldIssue) });
  // A statement that lost deadlocks on every attempt: as transient as an outage.
  if (isDatabaseUnavailableError(cause) || isWriteConflictError(cause))
    return problem("databaseUnavailable");
  return trpcRefusal(error);
}

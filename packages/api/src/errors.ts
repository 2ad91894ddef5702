import { TRPCError } from "@trpc/server";
import { isDatabaseUnavailableError } from "@tasks/db";

/** A validation problem as both surfaces report it. */
export interface FieldIssue {
  path: string;
  message: string;
}

interface IssueLike {
  path?: readonly (PropertyKey | { key: PropertyKey })[];
  message: string;
}

const UNEXPECTED = "An unexpected error occurred.";
const DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly.";

function hasIssues(cause: unknown): cause is { issues: IssueLike[] } {
  return typeof cause === "object" && cause !== null && Array.isArray(Reflect.get(cause, "issues"));
}

function toFieldIssue(issue: IssueLike): FieldIssue {
  const path = (issue.path ?? []).map((part) => String(typeof part === "object" ? part.key : part));
  return { path: path.join("."), message: issue.message };
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  const listed = issues.map(({ path, message }) => (path ? `${path}: ${message}` : message));
  return `The input is invalid. ${listed.join(" ")}`;
}

/** The issues carried by a validation error, if it is one. */
export function fieldIssuesOf(error: TRPCError): FieldIssue[] | undefined {
  return hasIssues(error.cause) ? error.cause.issues.map(toFieldIssue) : undefined;
}

/**
 * Gives every failure its public meaning: input validation is a 422, an
 * unreachable database a 503, and anything unexpected says nothing of its cause.
 */
export function toPublicError(error: TRPCError): TRPCError {
  const issues = fieldIssuesOf(error);
  if (error.code === "BAD_REQUEST" && issues) {
    return new TRPCError({
      code: "UNPROCESSABLE_CONTENT",
      message: describeIssues(issues),
      cause: error.cause,
    });
  }
  if (isDatabaseUnavailableError(error.cause)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: DATABASE_UNAVAILABLE,
      cause: error.cause,
    });
  }
  return error;
}

/** The message a client may see for an error: internal ones are never described. */
export function publicMessage(error: TRPCError): string {
  return error.code === "INTERNAL_SERVER_ERROR" ? UNEXPECTED : error.message;
}

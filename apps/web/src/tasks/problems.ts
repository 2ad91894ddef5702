import { TRPCClientError } from "@tasks/client";

/** Thrown by the token provider when Better Auth has no session any more. */
export class SessionExpiredError extends Error {
  constructor() {
    super("Your session has expired.");
    this.name = "SessionExpiredError";
  }
}

export type Problem = "offline" | "expired" | "refused" | "stale" | "other";

/** What went wrong, in the terms the page explains to the user. */
export function problemOf(error: unknown): Problem | null {
  if (!error) return null;
  if (causedBy(error, SessionExpiredError)) return "expired";
  if (!(error instanceof TRPCClientError)) return "other";
  const data = error.data as { httpStatus?: number; code?: string } | undefined;
  if (data?.code === "UNAUTHORIZED") return "refused";
  if (data?.code === "PRECONDITION_FAILED") return "stale";
  if (!data || [502, 503, 504].includes(data.httpStatus ?? 0)) return "offline";
  return "other";
}

export function messageOf(error: unknown): string {
  switch (problemOf(error ?? new SessionExpiredError())) {
    case "offline":
      return "The task server cannot be reached. Nothing you typed is lost: try again in a moment.";
    case "expired":
      return "Your session has expired. Sign in again to keep working.";
    case "stale":
      return "This task was changed elsewhere in the meantime: it now shows that version. Make your change again if you still want it.";
    case "refused":
      return "The task server did not accept your session. Sign in again.";
    default:
      return error instanceof Error ? error.message : "Something went wrong.";
  }
}

function causedBy(error: unknown, type: new () => Error): boolean {
  if (!(error instanceof Error)) return false;
  const cause: unknown = error.cause;
  return error instanceof type || causedBy(cause, type);
}

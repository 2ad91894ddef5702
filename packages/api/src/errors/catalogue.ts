import type { AuthError } from "@tasks/auth";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";

/** How long a client should wait before retrying after a 503 (seconds). */
export const RETRY_AFTER_SECONDS = 5;

/** A validation problem as both surfaces report it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A header an error carries, with what the OpenAPI document says of it. */
interface HeaderRule<P> {
  value: (params: P) => string;
  description: string;
  /** The values it takes, as the OpenAPI document states them. */
  schema: z.ZodType;
}

/** One kind of error: everything either surface and the OpenAPI document say of it. */
export interface ErrorKind<P = undefined> {
  status: number;
  code: TRPC_ERROR_CODE_KEY;
  /** The public sentence: the REST `detail` and the tRPC `message`. */
  detail: (params: P) => string;
  headers?: Record<string, HeaderRule<P>>;
  /** When it happens, as the OpenAPI document lists it under its status. */
  describes: string;
}

function kind<P = undefined>(entry: ErrorKind<P>): ErrorKind<P> {
  return entry;
}

const retryAfter = {
  "Retry-After": {
    value: () => String(RETRY_AFTER_SECONDS),
    description: "Seconds to wait before retrying",
    schema: z.int32().min(RETRY_AFTER_SECONDS).max(RETRY_AFTER_SECONDS),
  },
} satisfies Record<string, HeaderRule<unknown>>;

/** RFC 6750 §3: no error code when no credentials were sent, `invalid_token` otherwise. */
const BEARER_CHALLENGES = ["Bearer", 'Bearer error="invalid_token"'] as const;

function bearerChallenge(error: AuthError | undefined): (typeof BEARER_CHALLENGES)[number] {
  const [noCredentials, invalidToken] = BEARER_CHALLENGES;
  return error === undefined || error.reason === "missing" ? noCredentials : invalidToken;
}

/** The sentence of a multi-problem 422: one sentence per problem. */
function describeIssues(issues: readonly FieldIssue[]): string {
  const sentences = issues.map(({ path, message }) => {
    const sentence = path ? `${path}: ${message}` : message;
    return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  });
  return ["The input is invalid.", ...sentences].join(" ");
}

/** Where a path is quoted in a sentence, a hostile one stays short. */
function quotedPath(path: string): string {
  return path.length > 100 ? `${path.slice(0, 100)}…` : path;
}

/**
 * Every error of API.md, in one place. REST bodies, tRPC error envelopes, response
 * headers and the OpenAPI document's error responses are all read from here.
 */
export const errorCatalogue = {
  malformedJson: kind({
    status: 400,
    code: "BAD_REQUEST",
    detail: () => "The request body is not valid JSON.",
    describes: "The body is not valid JSON.",
  }),
  malformedRequest: kind<{ reason: string }>({
    status: 400,
    code: "BAD_REQUEST",
    detail: ({ reason }) => `The request is malformed: ${reason}.`,
    describes: "The URL or the HTTP request is malformed.",
  }),
  unauthenticated: kind<{ error?: AuthError }>({
    status: 401,
    code: "UNAUTHORIZED",
    detail: ({ error }) => error?.message ?? "Authentication is required.",
    headers: {
      "WWW-Authenticate": {
        value: ({ error }) => bearerChallenge(error),
        description: 'Bearer, or Bearer error="invalid_token" when a token was sent',
        schema: z.enum(BEARER_CHALLENGES),
      },
    },
    describes: "No valid bearer token.",
  }),
  forbidden: kind({
    status: 403,
    code: "FORBIDDEN",
    detail: () => "This task belongs to another user.",
    describes: "The task belongs to another user.",
  }),
  taskNotFound: kind({
    status: 404,
    code: "NOT_FOUND",
    detail: () => "No task has this id.",
    describes: "No such task.",
  }),
  routeNotFound: kind<{ method: string; path: string }>({
    status: 404,
    code: "NOT_FOUND",
    detail: ({ method, path }) => `No route matches ${method} ${quotedPath(path)}.`,
    describes: "No such route.",
  }),
  procedureNotFound: kind({
    status: 404,
    code: "NOT_FOUND",
    detail: () => "No procedure has this name.",
    describes: "No such tRPC procedure.",
  }),
  methodNotAllowed: kind<{ method: string; allowed: readonly string[] }>({
    status: 405,
    code: "METHOD_NOT_SUPPORTED",
    detail: ({ method, allowed }) =>
      `${method} is not allowed on this path; it allows ${allowed.join(", ")}.`,
    headers: {
      Allow: {
        value: ({ allowed }) => allowed.join(", "),
        description: "The methods this path serves",
        schema: z.string(),
      },
    },
    describes: "The path does not serve this method; see Allow.",
  }),
  procedureMethodNotAllowed: kind({
    status: 405,
    code: "METHOD_NOT_SUPPORTED",
    detail: () => "tRPC queries are called with GET and mutations with POST.",
    describes: "A tRPC query sent with POST, or a mutation with GET.",
  }),
  requestTimeout: kind({
    status: 408,
    code: "TIMEOUT",
    detail: () => "The request was not received in time.",
    describes: "The request was not received in time.",
  }),
  idempotencyKeyInFlight: kind({
    status: 409,
    code: "CONFLICT",
    detail: () => "A request with this idempotency key is still being processed; retry it shortly.",
    describes: "A create with this Idempotency-Key is still in flight; retry shortly.",
  }),
  preconditionFailed: kind({
    status: 412,
    code: "PRECONDITION_FAILED",
    detail: () => "The task's version is not the expected one; fetch it and try again.",
    describes: "If-Match does not match the task's current ETag; nothing was changed.",
  }),
  bodyTooLarge: kind<{ limit: number }>({
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    detail: ({ limit }) => `The request body is larger than the limit of ${limit} bytes.`,
    describes: "The body is over the configured size limit.",
  }),
  batchTooLarge: kind<{ limit: number; count: number }>({
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    detail: ({ limit, count }) =>
      `A tRPC batch holds at most ${limit} calls; this one holds ${count}.`,
    describes: "The tRPC batch holds more calls than TRPC_MAX_BATCH_SIZE.",
  }),
  uriTooLong: kind({
    status: 414,
    code: "BAD_REQUEST",
    detail: () => "The URL is too long.",
    describes: "The URL is too long.",
  }),
  unsupportedMediaType: kind({
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    detail: () => "Request bodies must be JSON, sent with Content-Type: application/json.",
    describes: "The body is not application/json.",
  }),
  invalidInput: kind<{ issues: readonly FieldIssue[] }>({
    status: 422,
    code: "UNPROCESSABLE_CONTENT",
    detail: ({ issues }) => describeIssues(issues),
    describes: "The body, query or id breaks a rule; `errors` lists each problem.",
  }),
  idempotencyKeyReused: kind({
    status: 422,
    code: "UNPROCESSABLE_CONTENT",
    detail: () =>
      "This idempotency key was already used for a different request within the last 24 hours.",
    describes: "The Idempotency-Key was used for a create with another body in the last 24 hours.",
  }),
  headersTooLarge: kind({
    status: 431,
    code: "BAD_REQUEST",
    detail: () => "The request's headers are too large.",
    describes: "The request's headers are too large.",
  }),
  rateLimited: kind<{ seconds: number }>({
    status: 429,
    code: "TOO_MANY_REQUESTS",
    detail: ({ seconds }) => `Too many requests; try again in ${seconds} seconds.`,
    headers: {
      "Retry-After": {
        value: ({ seconds }) => String(seconds),
        description: "Seconds until the budget refills",
        schema: z.int32().min(1),
      },
    },
    describes: "Rate limit hit; see Retry-After.",
  }),
  tooManyStreams: kind<{ max: number }>({
    status: 429,
    code: "TOO_MANY_REQUESTS",
    detail: ({ max }) =>
      `You already have ${max} open event streams; close one before opening another.`,
    headers: retryAfter,
    describes: "The caller already holds the most open event streams allowed; see Retry-After.",
  }),
  unexpected: kind({
    status: 500,
    code: "INTERNAL_SERVER_ERROR",
    detail: () => "An unexpected error occurred.",
    describes: "Unexpected failure; the body never carries details.",
  }),
  databaseUnavailable: kind({
    status: 503,
    code: "SERVICE_UNAVAILABLE",
    detail: () => "The database is unavailable; try again shortly.",
    headers: retryAfter,
    describes: "The database is unreachable; see Retry-After.",
  }),
  issuerUnavailable: kind<{ error: AuthError }>({
    status: 503,
    code: "SERVICE_UNAVAILABLE",
    detail: ({ error }) => error.message,
    headers: retryAfter,
    describes: "The token issuer's keys cannot be fetched; see Retry-After.",
  }),
  shuttingDown: kind({
    status: 503,
    code: "SERVICE_UNAVAILABLE",
    detail: () => "The server is shutting down; try again shortly.",
    headers: retryAfter,
    describes: "The server is shutting down; see Retry-After.",
  }),
} as const;

export type ErrorCatalogue = typeof errorCatalogue;
export type ErrorKindName = keyof ErrorCatalogue;
export type ParamsOf<K extends ErrorKindName> =
  ErrorCatalogue[K] extends ErrorKind<infer P> ? P : never;

import { TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import {
  errorCatalogue,
  type ErrorKind,
  type ErrorKindName,
  type FieldIssue,
  type ParamsOf,
} from "./catalogue.ts";

/** An error response in API.md's terms, before it is written in either surface's shape. */
export interface Problem {
  readonly kind: ErrorKindName;
  readonly status: number;
  readonly code: TRPC_ERROR_CODE_KEY;
  readonly detail: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly errors?: readonly FieldIssue[];
}

type ParamsArgument<K extends ErrorKindName> = ParamsOf<K> extends undefined ? [] : [ParamsOf<K>];

/** The problem of one catalogue entry, its sentence and headers filled in. */
export function problem<K extends ErrorKindName>(name: K, ...[params]: ParamsArgument<K>): Problem {
  const entry = errorCatalogue[name] as ErrorKind<ParamsOf<K> | undefined>;
  const headers = Object.fromEntries(
    Object.entries(entry.headers ?? {}).map(([header, rule]) => [
      header.toLowerCase(),
      rule.value(params),
    ]),
  );
  const errors = name === "invalidInput" ? (params as ParamsOf<"invalidInput">).issues : undefined;
  return {
    kind: name,
    status: entry.status,
    code: entry.code,
    detail: entry.detail(params),
    headers,
    ...(errors && { errors }),
  };
}

/** A problem raised as an error, on either surface (tRPC carries it as the cause). */
export class ProblemError extends Error {
  override readonly name = "ProblemError";

  constructor(
    readonly problem: Problem,
    options?: { cause?: unknown },
  ) {
    super(problem.detail, options);
  }

  /** Fastify and its plugins read an error's status from here. */
  get statusCode(): number {
    return this.problem.status;
  }
}

/** The TRPCError a procedure throws for a problem. */
export function trpcErrorOf(problem: Problem, cause?: unknown): TRPCError {
  return new TRPCError({
    code: problem.code,
    message: problem.detail,
    cause: new ProblemError(problem, { cause }),
  });
}

/** The REST body of a problem: `{ detail }`, plus `errors` for validation failures. */
export function restBodyOf(problem: Problem): { detail: string; errors?: readonly FieldIssue[] } {
  return problem.errors
    ? { detail: problem.detail, errors: problem.errors }
    : { detail: problem.detail };
}

/** The calls of a tRPC request: one path, or several in a batch. */
export interface TrpcCalls {
  paths: readonly string[];
  isBatch: boolean;
}

/**
 * A problem met before tRPC ran (authentication, rate limit, body limit, ...) in
 * tRPC's error envelope, as its error formatter writes it (one per call of a
 * batch), so that `@trpc/client` reports it like a procedure error.
 */
export function trpcEnvelopeOf(problem: Problem, { paths, isBatch }: TrpcCalls) {
  const envelopes = paths.map((path) => ({
    error: {
      message: problem.detail,
      code: TRPC_ERROR_CODES_BY_KEY[problem.code],
      data: {
        code: problem.code,
        httpStatus: problem.status,
        path,
        ...(problem.errors && { issues: problem.errors }),
      },
    },
  }));
  return isBatch ? envelopes : envelopes[0];
}

import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { Problem } from "./problem.ts";

const CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
};

/**
 * A problem met before tRPC ran (rate limit, body limit, ...) written as a tRPC
 * error response, so that `@trpc/client` reports it like any procedure error.
 */
export function trpcErrorBody(problem: Problem) {
  const code = CODE_BY_STATUS[problem.status] ?? "INTERNAL_SERVER_ERROR";
  return {
    error: {
      message: problem.detail,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus: problem.status },
    },
  };
}

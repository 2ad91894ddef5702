import { problem, ProblemError, problemOfTRPCError, type Problem } from "@tasks/api";
import { isDatabaseUnavailableError } from "@tasks/db";
import { TRPCError } from "@trpc/server";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/** `/title` (JSON pointer of the type provider) becomes `title`, as procedures report it. */
function issuePath(instancePath: string): string {
  return instancePath.split("/").filter(Boolean).join(".");
}

function fastifyCodeOf(error: unknown): string | undefined {
  const code: unknown = error instanceof Error ? Reflect.get(error, "code") : undefined;
  return typeof code === "string" ? code : undefined;
}

/** Fastify's own refusals, in the catalogue's terms. */
function fastifyProblem(error: unknown, bodyLimit: number): Problem | undefined {
  switch (fastifyCodeOf(error)) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return problem("bodyTooLarge", { limit: bodyLimit });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return problem("unsupportedMediaType");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problem("malformedJson");
    case "FST_ERR_BAD_URL":
      return problem("malformedRequest", { reason: "the URL is not valid percent-encoding" });
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return problem("malformedRequest", { reason: "Content-Length does not match the body" });
    default:
      return undefined;
  }
}

/**
 * The public meaning of any error that reaches the edge, or `undefined` for an
 * unexpected one (a 500 whose cause must only be logged).
 */
export function problemOf(error: unknown, bodyLimit: number): Problem | undefined {
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof TRPCError) return problemOfTRPCError(error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: issuePath(issue.instancePath),
      message: issue.message ?? "is invalid",
    }));
    return problem("invalidInput", { issues });
  }
  if (isDatabaseUnavailableError(error)) return problem("databaseUnavailable");
  return fastifyProblem(error, bodyLimit);
}

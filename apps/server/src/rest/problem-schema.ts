import { z } from "zod";

/** The body of every REST error (API.md "Errors"). */
export const problemSchema = z.object({
  detail: z.string().meta({ description: "A human-readable sentence saying what went wrong." }),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .meta({ description: "Validation failures only: one entry per broken rule." }),
});

/** What each error status means on the task routes, for the OpenAPI document. */
export const PROBLEM_DESCRIPTIONS = {
  400: "The body is not valid JSON.",
  401: "No valid bearer token (WWW-Authenticate: Bearer).",
  403: "The task belongs to another user.",
  404: "No such task.",
  413: "The body is over the configured size limit.",
  415: "The body is not application/json.",
  422: "The body, query or id breaks a rule; `errors` lists each problem.",
  429: "Rate limit hit; see Retry-After.",
  500: "Unexpected failure; the body never carries details.",
  503: "The database or the token issuer is unreachable; see Retry-After.",
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

import { z } from "zod";
import { PROBLEM_DESCRIPTIONS, problemSchema, type ProblemStatus } from "./problem-schema.ts";
import type { RestRoute } from "./route-table.ts";

/** The errors a route can answer with, derived from what it reads. */
export function errorStatuses(route: RestRoute): ProblemStatus[] {
  const statuses = new Set<ProblemStatus>([401, 429, 500, 503]);
  const add = (...more: ProblemStatus[]) => more.forEach((status) => statuses.add(status));
  if (route.params) add(403, 404, 422);
  if (route.querystring) add(422);
  if (route.body) add(400, 413, 415, 422);
  return [...statuses].sort((a, b) => a - b);
}

const SUCCESS_DESCRIPTIONS = {
  200: "OK",
  201: "Created; Location names the new task",
  204: "Done; no body",
};

interface ResponseEntry {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}

function json(description: string, schema: z.ZodType): ResponseEntry {
  return { description, content: { "application/json": { schema } } };
}

/** Fastify `schema.response`: the success body and the shared problem body per error status. */
export function responseSchemas(route: RestRoute): Record<number, ResponseEntry | z.ZodType> {
  const description = SUCCESS_DESCRIPTIONS[route.success];
  // A `null` schema is how @fastify/swagger documents a response without a body.
  const responses: Record<number, ResponseEntry | z.ZodType> = {
    [route.success]: route.response
      ? json(description, route.response)
      : z.null().describe(description),
  };
  for (const status of errorStatuses(route)) {
    responses[status] = json(PROBLEM_DESCRIPTIONS[status], problemSchema);
  }
  return responses;
}

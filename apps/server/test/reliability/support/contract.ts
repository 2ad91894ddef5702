import { taskSchema } from "@tasks/api";
import { z } from "zod";

/** API.md's shapes, strict: a response with an extra key breaks the contract too. */
export const strictTask = taskSchema.strict();
export const strictTaskPage = z.strictObject({
  items: z.array(strictTask),
  nextCursor: z.string().nullable(),
});
const fieldIssue = z.strictObject({ path: z.string(), message: z.string().min(1) });
export const problemBody = z.strictObject({
  detail: z.string().min(1),
  errors: z.array(fieldIssue).min(1).optional(),
});

/** tRPC's wire format for one call: `{ result: { data } }` or `{ error }` with the code and status. */
const trpcError = z.strictObject({
  error: z.strictObject({
    message: z.string().min(1),
    code: z.number().int().negative(),
    data: z.strictObject({
      code: z.string(),
      httpStatus: z.number().int(),
      path: z.string().optional(),
      issues: z.array(fieldIssue).optional(),
    }),
  }),
});
const trpcResult = z.strictObject({ result: z.strictObject({ data: z.unknown() }) });
export const trpcEnvelope = z.union([trpcResult, trpcError]);
export type TrpcEnvelope = z.infer<typeof trpcEnvelope>;

export type Surface = "rest" | "trpc";

/** Statuses API.md allows for any error, whatever the route. */
const anyRouteErrors = [401, 404, 413, 415, 400, 422];

/**
 * What a route may answer. 403 only where an id names a task; 400/413/415 are
 * about bodies and any route that is sent one may answer them. 429 and 503 are
 * left out on purpose: the fuzz runs with a generous rate limit and a healthy
 * database, so either would be a failure worth seeing.
 */
export function allowedStatuses(surface: Surface, procedure: string | undefined): Set<number> {
  const allowed = new Set(anyRouteErrors);
  // A path that is not a procedure's: 405 where a known path meets another method.
  if (procedure === undefined) allowed.add(405);
  const takesId = procedure !== undefined && !["list", "create"].includes(procedure);
  if (takesId) allowed.add(403);
  // If-Match (412), If-None-Match (304), an Idempotency-Key still in flight (409).
  if (takesId && procedure !== "get") allowed.add(412);
  if (procedure === "get") allowed.add(304);
  if (procedure === "create") allowed.add(409);
  if (surface === "trpc") {
    // tRPC's own wire rules: 405 for a query called with POST or a mutation with GET,
    // 207 for a batch whose calls ended differently.
    allowed.add(405).add(207).add(200);
    return allowed;
  }
  const success: Record<string, number> = {
    list: 200,
    create: 201,
    get: 200,
    update: 200,
    delete: 204,
    toggle: 200,
  };
  if (procedure !== undefined) allowed.add(success[procedure] ?? 200);
  return allowed;
}

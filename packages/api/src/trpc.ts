import { initTRPC, TRPCError } from "@trpc/server";
import type { AuthError } from "@tasks/auth";
import type { Context } from "./context.ts";
import { fieldIssuesOf, publicMessage, toPublicError } from "./errors.ts";
import { TaskStore } from "./tasks/task-store.ts";

const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const issues = fieldIssuesOf(error);
    return {
      code: shape.code,
      message: publicMessage(error),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        ...(issues && { issues }),
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The one middleware of every task procedure (each extra middleware is another
 * context merge per call). It runs before input parsing, so a request without a
 * valid token is refused whatever else is wrong with it; then it maps failures to
 * their public meaning and logs the unexpected.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  if (!ctx.auth.ok) throw authFailure(ctx.auth.error);
  const { user } = ctx.auth;
  const result = await next({ ctx: { user, tasks: new TaskStore(ctx.db, user.id) } });
  if (result.ok) return result;
  const error = toPublicError(result.error);
  if (error.code === "INTERNAL_SERVER_ERROR") {
    ctx.logger.error({ err: error.cause ?? error, path }, "procedure failed");
  }
  throw error;
});

function authFailure(error: AuthError): TRPCError {
  const code = error.reason === "issuer_unavailable" ? "SERVICE_UNAVAILABLE" : "UNAUTHORIZED";
  return new TRPCError({ code, message: error.message, cause: error });
}

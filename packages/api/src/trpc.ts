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

/** Wraps every procedure: maps failures to their public meaning and logs the unexpected. */
const publicErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const error = toPublicError(result.error);
  if (error.code === "INTERNAL_SERVER_ERROR") {
    ctx.logger.error({ err: error.cause ?? error, path }, "procedure failed");
  }
  throw error;
});

export const publicProcedure = t.procedure.use(publicErrors);

/**
 * Runs before input parsing, so a request without a valid token is refused
 * whatever else is wrong with it.
 */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth.ok) throw authFailure(ctx.auth.error);
  const { user } = ctx.auth;
  return next({ ctx: { user, tasks: new TaskStore(ctx.db.prisma, user.id) } });
});

function authFailure(error: AuthError): TRPCError {
  const code = error.reason === "issuer_unavailable" ? "SERVICE_UNAVAILABLE" : "UNAUTHORIZED";
  return new TRPCError({ code, message: error.message, cause: error });
}

import { initTRPC, type TRPCDefaultErrorShape, type TRPCError } from "@trpc/server";
import type { AuthUser } from "@tasks/auth";
import type { Context } from "./context.ts";
import { authProblem, problemOfTRPCError } from "./errors/classify.ts";
import { trpcErrorOf } from "./errors/problem.ts";
import { TaskStore } from "./tasks/task-store.ts";

/** Every error's shape on the wire; clients infer it from this function's return type. */
function formatError({ shape, error }: { shape: TRPCDefaultErrorShape; error: TRPCError }) {
  const problem = problemOfTRPCError(error);
  return {
    code: shape.code,
    message: problem.detail,
    data: {
      code: problem.code,
      httpStatus: problem.status,
      path: shape.data.path,
      ...(problem.errors && { issues: problem.errors }),
    },
  };
}

export type TaskErrorShape = ReturnType<typeof formatError>;

/**
 * SSE subscriptions: a ping every few seconds keeps idle streams (and the
 * proxies in front of them) alive; the client reconnects when it hears nothing
 * for several pings in a row.
 */
export const SSE_PING_INTERVAL_MS = 10_000;

const t = initTRPC.context<Context>().create({
  isDev: false,
  sse: {
    ping: { enabled: true, intervalMs: SSE_PING_INTERVAL_MS },
    client: { reconnectAfterInactivityMs: 3 * SSE_PING_INTERVAL_MS },
  },
  errorFormatter: formatError,
});

/** What procedures behind `protectedProcedure` see: the caller and their task store. */
export type ProtectedContext = Context & { user: AuthUser; tasks: TaskStore };

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The one middleware of every task procedure (each extra middleware is another
 * context merge per call). It runs before input parsing, so a request without a
 * valid token is refused whatever else is wrong with it; then it gives failures
 * their public meaning (the error catalogue's) and logs the unexpected.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  if (!ctx.auth.ok) throw trpcErrorOf(authProblem(ctx.auth.error), ctx.auth.error);
  const { user } = ctx.auth;
  const announce = () => void ctx.live.notifier.publish(user.id);
  const result = await next({ ctx: { user, tasks: new TaskStore(ctx.db, user.id, announce) } });
  if (result.ok) return result;
  const problem = problemOfTRPCError(result.error);
  if (problem.kind === "unexpected") {
    ctx.logger.error({ err: result.error.cause ?? result.error, path }, "procedure failed");
  }
  throw trpcErrorOf(problem, result.error.cause ?? result.error);
});

// The baseline server: bare Fastify 5 + pg + jose, no logger, no validation library.
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { Pool } from "pg";
import { authenticate, type PublicKey } from "./auth.ts";
import { registerBatchRoute } from "./batch.ts";
import { registerTaskRoutes } from "./routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    userId: string;
  }
}

export interface BaselineOptions {
  readonly pool: Pool;
  readonly publicKey: PublicKey;
}

/** JSON bodies where an empty body means "no body" (toggle accepts one). */
function parseJsonBody(
  _request: unknown,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
): void {
  if (body === "") return done(null, undefined);
  try {
    done(null, JSON.parse(body));
  } catch {
    done(Object.assign(new Error("The body is not valid JSON."), { statusCode: 400 }));
  }
}

function registerAuthenticatedRoutes(app: FastifyInstance, options: BaselineOptions): void {
  app.register(async (scope) => {
    scope.addHook("onRequest", async (request, reply) => {
      const auth = await authenticate(request.headers.authorization, options.publicKey);
      if (!auth.ok)
        return reply.code(401).header("www-authenticate", "Bearer").send({ detail: auth.detail });
      request.userId = auth.userId;
    });
    registerTaskRoutes(scope, options.pool);
    registerBatchRoute(scope, options.pool);
  });
}

export function buildBaselineApp(options: BaselineOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  app.decorateRequest("userId", "");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) =>
    parseJsonBody(request, body as string, done),
  );
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    return reply
      .code(status)
      .send({ detail: status === 500 ? "Something went wrong on our side." : error.message });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ detail: "There is no such route." }),
  );
  app.get("/health", async () => ({ status: "ok" }));
  registerAuthenticatedRoutes(app, options);
  return app;
}

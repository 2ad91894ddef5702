import type { TokenVerifier } from "@tasks/auth";
import type { LiveUpdates } from "@tasks/api/live";
import type { Database } from "@tasks/db";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import type { ServerSettings } from "./config.ts";
import { createLogger } from "./logger.ts";
import { OneLinePerRequest } from "./request-log.ts";
import { authenticateRequests } from "./plugins/authentication.ts";
import { refuseWhileDraining } from "./plugins/draining.ts";
import {
  clientErrorHandler,
  frameworkErrorsFor,
  refuseMalformedQueries,
} from "./plugins/edge-errors.ts";
import { errorResponses, jsonBodiesOnly } from "./plugins/error-handling.ts";
import { healthRoutes } from "./plugins/health.ts";
import { documentationRoutes, openApiDocument } from "./plugins/openapi.ts";
import { rateLimits } from "./plugins/rate-limit.ts";
import { echoRequestId, generateRequestId } from "./plugins/request-id.ts";
import { crossOrigin, securityHeaders } from "./plugins/security-headers.ts";
import { liveUpdatesLifecycle } from "./plugins/live-updates.ts";
import { trpcEndpoint } from "./plugins/trpc.ts";
import { privateResponses } from "./plugins/response-headers.ts";
import { recordRoutes } from "./plugins/route-map.ts";
import { restFacade } from "./rest/register.ts";
import { taskEventsRoute } from "./rest/task-events.ts";
import { responseSerializerCompiler } from "./rest/serializer.ts";

export interface ServerDependencies {
  config: ServerSettings;
  db: Database;
  /** Live updates' notifier and open streams (the caller closes the notifier). */
  live: LiveUpdates;
  verifier: TokenVerifier;
  /** Defaults to JSON lines on stdout at `LOG_LEVEL`. */
  logger?: FastifyBaseLogger;
  /** Prefix of the rate-limit keys in Redis, for instances that must not share budgets. */
  rateLimitNamespace?: string;
}

/** Slow or stalled clients cannot hold a connection forever (Fastify's default is no limit). */
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 60_000;

/** Batched tRPC calls put every procedure name in one path parameter. */
const MAX_PARAM_LENGTH = 5000;

/** A hop count trusts that many proxies nearest to the server, as Fastify documents. */
function trustProxyOption(setting: ServerSettings["TRUST_PROXY"]) {
  return typeof setting === "number" ? (_address: string, hop: number) => hop < setting : setting;
}

/** The whole HTTP server, ready to `listen()`; the caller owns `db` and `verifier`. */
export async function buildServer(dependencies: ServerDependencies): Promise<FastifyInstance> {
  const { config, db, verifier } = dependencies;
  const loggerInstance: FastifyBaseLogger = dependencies.logger ?? createLogger(config);
  const app = Fastify({
    loggerInstance,
    logController: new OneLinePerRequest(),
    genReqId: generateRequestId,
    requestIdHeader: false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    return503OnClosing: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorsFor(config.CORS_ORIGINS),
    clientErrorHandler,
  });
  const routes = recordRoutes(app, MAX_PARAM_LENGTH);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);

  echoRequestId(app);
  jsonBodiesOnly(app);
  securityHeaders(app);
  await crossOrigin(app, config);
  refuseWhileDraining(app);
  refuseMalformedQueries(app);
  await rateLimits(app, config, dependencies.rateLimitNamespace);
  errorResponses(app, config.BODY_LIMIT_BYTES, routes);
  await openApiDocument(app, config);

  healthRoutes(app, db);
  const services = { db, live: dependencies.live };
  liveUpdatesLifecycle(app, services, config.LIVE_EVENT_RETENTION_S);
  await app.register(async (api) => {
    authenticateRequests(api, verifier);
    privateResponses(api);
    restFacade(api, services);
    taskEventsRoute(api, services, config.LIVE_KEEPALIVE_MS);
    await trpcEndpoint(api, {
      services,
      maxBatchSize: config.TRPC_MAX_BATCH_SIZE,
      fastPath: config.TRPC_FAST_PATH,
    });
  });
  await documentationRoutes(app);
  return app;
}

import { randomUUID } from "node:crypto";
import { createTokenVerifier, type TokenVerifier } from "@tasks/auth";
import { startTestIssuer, verifierOptionsFor, type TestIssuer } from "@tasks/auth/testing";
import type { Database, DatabaseDriver } from "@tasks/db";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import {
  createLiveUpdates,
  InProcessNotifier,
  startNotifier,
  type ChangeNotifier,
  type LiveUpdates,
} from "@tasks/api/live";
import { buildServer } from "../../src/app.ts";
import { serverEnvSchema } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { LogLines } from "./log-lines.ts";

export interface StartOptions {
  /** Server variables as they would appear in the environment. */
  env?: Record<string, string>;
  /** Run against this database instead of a fresh test database (the caller closes it). */
  db?: Database;
  /** Redis key prefix of the rate limiter; servers given the same one share budgets. */
  rateLimitNamespace?: string;
  /** Trust this issuer instead of a fresh one (the caller closes it). */
  issuer?: TestIssuer;
  /**
   * How instances hear of each other's events: LISTEN on this URL (default: the
   * test database's), or Redis on `channel` where `env` sets REDIS_URL; without
   * either, in-process.
   */
  live?: { listenUrl?: string; channel?: string };
}

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or `undefined` when there is none. */
  body: unknown;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, without a JSON content type unless `headers` gives one. */
  rawBody?: string;
  headers?: Record<string, string>;
}

let userCounter = 0;
/** A user id in Better Auth's style, unique within the run. */
export function newUserId(): string {
  userCounter += 1;
  return `user_${userCounter}_${Math.random().toString(36).slice(2, 10)}`;
}

/** The real server on a free port, a real database and a real token issuer. */
export class TestServer {
  private constructor(
    readonly app: FastifyInstance,
    readonly url: string,
    readonly db: Database,
    readonly issuer: TestIssuer,
    readonly verifier: TokenVerifier,
    readonly logs: LogLines,
    readonly live: LiveUpdates,
    private readonly owned: { database?: TestDatabase; issuer?: TestIssuer },
  ) {}

  static async start(driver: DatabaseDriver, options: StartOptions = {}): Promise<TestServer> {
    const database = options.db ? undefined : await createTestDatabase(driver);
    const db = options.db ?? database?.db;
    if (!db) throw new Error("no database");
    const issuer = options.issuer ?? (await startTestIssuer());
    const verifier = await createTokenVerifier(verifierOptionsFor(issuer));
    const config = serverEnvSchema.parse({
      RATE_LIMIT_MAX: "10000",
      LOG_LEVEL: "info",
      ...options.env,
    });
    const logs = new LogLines();
    const logger = createLogger(config, logs);
    const live = createLiveUpdates({
      notifier: await testNotifier(driver, db, config.REDIS_URL, logger, {
        listenUrl: database?.url,
        ...options.live,
      }),
      maxStreamsPerUser: config.LIVE_STREAMS_PER_USER,
      // No polling safety net: events must arrive through the notifier.
      feed: { pollIntervalMs: 3_600_000 },
    });
    const app = await buildServer({
      config,
      db,
      verifier,
      live,
      logger,
      rateLimitNamespace: options.rateLimitNamespace ?? `test-rl:${randomUUID()}:`,
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const owned = { database, issuer: options.issuer ? undefined : issuer };
    return new TestServer(app, url, db, issuer, verifier, logs, live, owned);
  }

  async tokenFor(userId: string = newUserId()): Promise<string> {
    return this.issuer.sign({ sub: userId });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseJson(text), text };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.live.notifier.close();
    await this.owned.issuer?.close();
    await this.owned.database?.cleanup();
  }
}

function testNotifier(
  driver: DatabaseDriver,
  db: Database,
  redisUrl: string | undefined,
  logger: Logger,
  live: { listenUrl?: string; channel?: string },
): Promise<ChangeNotifier> {
  const channel = live.channel ?? `test-live:${randomUUID()}`;
  if (!redisUrl && !live.listenUrl) return Promise.resolve(new InProcessNotifier());
  return startNotifier({ driver, redisUrl, listenUrl: live.listenUrl, channel }, db, logger);
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

import { createTokenVerifier, type TokenVerifier } from "@tasks/auth";
import { startTestIssuer, verifierOptionsFor, type TestIssuer } from "@tasks/auth/testing";
import type { DatabaseDriver } from "@tasks/db";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect } from "vitest";
import { createCaller, createContext, type Logger } from "../src/index.ts";
import { createLiveUpdates, InProcessNotifier, type LiveUpdates } from "../src/live/index.ts";

export type Caller = ReturnType<typeof createCaller>;

/** Keeps what procedures log, so tests can check that failures are recorded. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; object: object; message?: string }[] = [];
  debug = (object: object, message?: string) =>
    this.lines.push({ level: "debug", object, message });
  info = (object: object, message?: string) => this.lines.push({ level: "info", object, message });
  warn = (object: object, message?: string) => this.lines.push({ level: "warn", object, message });
  error = (object: object, message?: string) =>
    this.lines.push({ level: "error", object, message });
}

/** A real database and a real token issuer; callers act as users holding real tokens. */
export class Harness {
  readonly logger = new MemoryLogger();
  /** What the host is told when a create replays its idempotency key's first answer. */
  onIdempotentReplay: (() => void) | undefined;
  readonly live: LiveUpdates = createLiveUpdates({
    notifier: new InProcessNotifier(),
    maxStreamsPerUser: 4,
  });

  private constructor(
    readonly database: TestDatabase,
    readonly issuer: TestIssuer,
    private readonly verifier: TokenVerifier,
  ) {}

  static async start(driver: DatabaseDriver): Promise<Harness> {
    const database = await createTestDatabase(driver);
    const issuer = await startTestIssuer();
    const verifier = await createTokenVerifier(verifierOptionsFor(issuer));
    return new Harness(database, issuer, verifier);
  }

  /** `signal` aborts the caller's subscriptions, as a client closing its connection would. */
  async callerFor(userId: string, signal?: AbortSignal): Promise<Caller> {
    return this.callerWithHeader(`Bearer ${await this.issuer.sign({ sub: userId })}`, signal);
  }

  async callerWithHeader(authorization: string | undefined, signal?: AbortSignal): Promise<Caller> {
    const auth = await this.verifier.authenticate(authorization);
    return createCaller(
      createContext({
        db: this.database.db,
        auth,
        requestId: "test",
        logger: this.logger,
        onIdempotentReplay: () => this.onIdempotentReplay?.(),
        live: this.live,
      }),
      { signal },
    );
  }

  async close(): Promise<void> {
    this.live.streams.closeAll();
    await this.issuer.close();
    await this.database.cleanup();
  }
}

/** Runs `call`, expects it to fail with `code`, and returns the error for more checks. */
export async function expectTRPCError(call: Promise<unknown>, code: TRPCError["code"]) {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

let userCounter = 0;
/** A user id in Better Auth's style, unique within the run. */
export function newUserId(): string {
  userCounter += 1;
  return `user_${userCounter}_${Math.random().toString(36).slice(2, 10)}`;
}

export interface Fixture {
  harness: Harness;
  /** A caller acting as a fresh user. */
  alice: Caller;
}

/** Starts a harness and one user for the tests of the enclosing `describe`, and closes it after. */
export function useHarness(driver: DatabaseDriver): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.harness = await Harness.start(driver);
    fixture.alice = await fixture.harness.callerFor(newUserId());
  });
  afterAll(() => fixture.harness.close());
  return fixture;
}

// A started target: its server process, the database access it was given, and
// the fixture its requests use (the shared SQL seed, or what it was seeded with).
import type { LoadFixture } from "./requests.ts";
import { seedThroughRest } from "./seed-rest.ts";
import { startServer, type RunningServer } from "./server-process.ts";
import { commonEnv, prepareDatabase } from "./target-env.ts";
import type { Target } from "./targets.ts";

export interface SessionContext {
  readonly repoRoot: string;
  readonly databaseUrl: string;
  readonly publicKeyPem: string;
  /** The SQL-seeded users' tokens and task ids. */
  readonly fixture: LoadFixture;
  readonly restSeedPerUser: number;
}

export interface TargetSession {
  readonly target: Target;
  readonly server: RunningServer;
  readonly fixture: LoadFixture;
  stop(): Promise<void>;
}

export async function startSession(
  target: Target,
  context: SessionContext,
): Promise<TargetSession> {
  const database = await prepareDatabase(target.database, context.databaseUrl);
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      target.command,
      { ...commonEnv(context.publicKeyPem), ...database.env, ...target.env },
      context.repoRoot,
    );
    const fixture =
      target.seeding === "sql"
        ? context.fixture
        : await seedThroughRest(server.url, context.fixture.tokens, context.restSeedPerUser);
    const started = server;
    return {
      target,
      server,
      fixture,
      stop: () => started.stop().finally(() => database.release()),
    };
  } catch (error) {
    await server?.stop();
    await database.release();
    throw error;
  }
}

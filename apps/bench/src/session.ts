// A started target: its server process, the database access it was given, and
// the fixture its requests use (the shared SQL seed, or what it was seeded with).
import type { LoadFixture } from "./requests.ts";
import { seedThroughRest } from "./seed-rest.ts";
import { startServer, type RunningServer, type ServerCommand } from "./server-process.ts";
import { commonEnv, prepareDatabase } from "./target-env.ts";
import type { Target } from "./targets.ts";

export interface SessionContext {
  readonly repoRoot: string;
  readonly databaseUrl: string;
  readonly publicKeyPem: string;
  /** The SQL-seeded users' tokens and task ids. */
  readonly fixture: LoadFixture;
  readonly restSeedPerUser: number;
  /** Where the project's servers write CPU profiles, if anywhere. */
  readonly cpuProfileDir: string | null;
}

export interface TargetSession {
  readonly target: Target;
  readonly server: RunningServer;
  readonly fixture: LoadFixture;
  stop(): Promise<void>;
}

/** The target's command, profiled when BENCH_CPU_PROF_DIR asks (the project's servers only). */
function commandOf(target: Target, context: SessionContext): ServerCommand {
  const dir = context.cpuProfileDir;
  if (dir === null || target.role !== "project") return target.command;
  const profile = [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    `--cpu-prof-name=${target.name}.cpuprofile`,
  ];
  return { ...target.command, nodeArgs: [...target.command.nodeArgs, ...profile] };
}

export async function startSession(
  target: Target,
  context: SessionContext,
): Promise<TargetSession> {
  const database = await prepareDatabase(target.database, context.databaseUrl);
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      commandOf(target, context),
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

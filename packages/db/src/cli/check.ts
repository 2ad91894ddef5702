// `pnpm db:check`: a smoke test of the configured database (the embedded one by
// default): migrate, then create, read and delete a task, one line per step.
import { randomUUID } from "node:crypto";
import { createDatabase, migrate } from "../database.ts";
import { cliDatabaseConfig, runCli } from "./run.ts";

runCli(async () => {
  const config = cliDatabaseConfig();
  const say = (line: string) => process.stdout.write(`[${config.driver}] ${line}\n`);
  const db = await createDatabase({ ...config, migrateOnStart: false });
  try {
    await db.ping();
    say("connected");
    const { applied } = await migrate(db);
    say(
      applied.length === 0 ? "migrations up to date" : `migrations applied: ${applied.join(", ")}`,
    );
    const created = await db.prisma.task.create({
      data: { userId: `db-check-${randomUUID()}`, title: "db:check" },
    });
    say(`created task ${created.id}`);
    const read = await db.prisma.task.findUniqueOrThrow({ where: { id: created.id } });
    say(`read task ${read.id} (title "${read.title}", created ${read.createdAt.toISOString()})`);
    await db.prisma.task.delete({ where: { id: created.id } });
    say(`deleted task ${created.id}`);
  } finally {
    await db.close();
  }
});

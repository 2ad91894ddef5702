// `pnpm db:migration:create <name>`: writes prisma/migrations/<timestamp>_<name>/
// for whatever changed in prisma/schema.prisma since the last migration.
import { createMigration } from "../migrations/create.ts";
import { runCli } from "./run.ts";

runCli(async () => {
  const name = process.argv[2];
  if (name === undefined || process.argv.length > 3) {
    throw new Error("Usage: pnpm db:migration:create <name>   (e.g. add_due_date)");
  }
  const result = await createMigration(name);
  if (result.created) {
    process.stdout.write(`created ${result.folder}/migration.sql\n${result.sql}`);
  } else {
    process.stdout.write("no changes: prisma/schema.prisma matches the migrations\n");
  }
});

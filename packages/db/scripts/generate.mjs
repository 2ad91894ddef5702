/* global process, URL */
// Runs `prisma generate` offline. The `prisma-client` generator needs no native
// engine, but the CLI insists on a schema-engine path: any existing file will do.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const schema = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));
const result = spawnSync("prisma", ["generate", "--schema", schema], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);

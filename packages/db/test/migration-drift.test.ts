// prisma/schema.prisma and prisma/migrations agree: replaying every migration
// (on PGlite, with the extensions they create) leaves nothing for
// `pnpm db:migration:create` to write.
import { describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "../src/migrations/create.ts";

describe("migrations against the schema", () => {
  it(
    "leave no difference: every schema change has its generated migration",
    { timeout: 120_000 },
    async () => {
      expect(await diffMigrationsToSchema()).toBeUndefined();
    },
  );
});

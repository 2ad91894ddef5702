import { defineTestConfig } from "../../tooling/vitest/src/index.ts";

export default defineTestConfig({
  services: ["postgres", "redis"],
  databaseDrivers: true,
  globalSetup: ["test/support/build-bundle.ts"],
});

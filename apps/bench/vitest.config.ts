import { defineTestConfig } from "../../tooling/vitest/src/index.ts";

export default defineTestConfig({
  services: ["postgres"],
  globalSetup: ["test/support/build-baseline.ts"],
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { imageNodeOptions, PROJECT_SERVER } from "../src/targets.ts";

describe("the project target", () => {
  it("starts the server with the Node options of its image", () => {
    const dockerfile = readFileSync(new URL("../../server/Dockerfile", import.meta.url), "utf8");
    expect(PROJECT_SERVER.nodeArgs).toEqual(imageNodeOptions(dockerfile));
    expect(
      PROJECT_SERVER.nodeArgs.some((option) => option.startsWith("--max-old-space-size=")),
    ).toBe(true);
  });

  it("refuses a Dockerfile without NODE_OPTIONS rather than measure something else", () => {
    expect(() => imageNodeOptions('FROM node:22-slim\nCMD ["node", "dist/main.mjs"]')).toThrow(
      /NODE_OPTIONS/,
    );
  });
});

import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const readme = new URL("../../../README.md", import.meta.url);
const sample = new URL("./readme-sample.ts", import.meta.url);

describe("the README's TypeScript sample", () => {
  it("is the file that the typecheck compiles and the end-to-end test runs", async () => {
    const text = await readFile(readme, "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(text)?.[1];
    expect(block).toBe(await readFile(sample, "utf8"));
  });
});

import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const repo = new URL("../../../", import.meta.url);

/** The first code block of `language` in a document. */
async function codeBlock(document: string, language: string): Promise<string | undefined> {
  const text = await readFile(new URL(document, repo), "utf8");
  return new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(text)?.[1];
}

const sample = (name: string) => readFile(new URL(name, import.meta.url), "utf8");

describe("code samples in the docs are the files the tests compile and run", () => {
  it("README's TypeScript sample is readme-sample.ts (typechecked, run end to end)", async () => {
    expect(await codeBlock("README.md", "ts")).toBe(await sample("./readme-sample.ts"));
  });

  it("docs/client.md's React sample is react-sample.tsx (typechecked)", async () => {
    expect(await codeBlock("docs/client.md", "tsx")).toBe(await sample("./react-sample.tsx"));
  });
});

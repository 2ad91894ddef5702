import { testDrivers } from "@tasks/db/testing";
import { describe, expect, it } from "vitest";
import { userPerceivedLength } from "../src/index.ts";
import { expectTRPCError, useHarness } from "./harness.ts";

const THUMBS_UP_MEDIUM = "👍🏽"; // two code points, four UTF-16 units, one character
const FAMILY = "👨‍👩‍👧‍👦"; // seven code points joined by ZWJ, one character
const E_ACUTE_COMBINING = "e\u0301"; // e + combining acute accent, one character
const RAINBOW_FLAG = "🏳️‍🌈"; // four code points, one character

describe("userPerceivedLength", () => {
  it("counts user-perceived characters, not code units or code points", () => {
    expect(userPerceivedLength("")).toBe(0);
    expect(userPerceivedLength("abc")).toBe(3);
    expect(userPerceivedLength(THUMBS_UP_MEDIUM)).toBe(1);
    expect(userPerceivedLength(FAMILY)).toBe(1);
    expect(userPerceivedLength(E_ACUTE_COMBINING)).toBe(1);
    expect(userPerceivedLength(`${FAMILY}a${E_ACUTE_COMBINING}`)).toBe(3);
  });
});

describe.each(testDrivers())("title and description limits on %s", (driver) => {
  const t = useHarness(driver);

  it("accepts a title of exactly 200 characters and rejects 201", async () => {
    await expect(t.alice.tasks.create({ title: "a".repeat(200) })).resolves.toHaveProperty("id");
    const error = await expectTRPCError(
      t.alice.tasks.create({ title: "a".repeat(201) }),
      "UNPROCESSABLE_CONTENT",
    );
    expect(error.message).toContain("title: Title must be at most 200 characters.");
  });

  it("measures the title after trimming", async () => {
    const task = await t.alice.tasks.create({ title: `   ${"b".repeat(200)}   ` });
    expect(task.title).toHaveLength(200);
  });

  it("counts emoji and combining sequences as one character each", async () => {
    for (const unit of [THUMBS_UP_MEDIUM, RAINBOW_FLAG, E_ACUTE_COMBINING]) {
      const task = await t.alice.tasks.create({ title: unit.repeat(200) });
      expect((await t.alice.tasks.get({ id: task.id })).title).toBe(unit.repeat(200));
      await expectTRPCError(
        t.alice.tasks.create({ title: unit.repeat(201) }),
        "UNPROCESSABLE_CONTENT",
      );
    }
  });

  it("accepts a description of 1000 characters and rejects 1001", async () => {
    await expect(
      t.alice.tasks.create({ title: "d", description: "x".repeat(1000) }),
    ).resolves.toHaveProperty("id");
    await expect(
      t.alice.tasks.create({ title: "d", description: RAINBOW_FLAG.repeat(1000) }),
    ).resolves.toHaveProperty("id");
    const error = await expectTRPCError(
      t.alice.tasks.create({ title: "d", description: "x".repeat(1001) }),
      "UNPROCESSABLE_CONTENT",
    );
    expect(error.message).toContain("description: Description must be at most 1000 characters.");
  });

  it("caps every text at 4 code points per allowed character, however it is counted", async () => {
    // 114 families are 798 code points; 115 are 805: over a title's 800.
    await expect(t.alice.tasks.create({ title: FAMILY.repeat(114) })).resolves.toHaveProperty("id");
    for (const title of [FAMILY.repeat(115), `a${"\u0301".repeat(30_000)}`]) {
      const error = await expectTRPCError(t.alice.tasks.create({ title }), "UNPROCESSABLE_CONTENT");
      expect(error.message).toContain("title: Title must be at most 200 characters.");
    }
    await expectTRPCError(
      t.alice.tasks.create({ title: "d", description: FAMILY.repeat(572) }),
      "UNPROCESSABLE_CONTENT",
    );
    await expectTRPCError(
      t.alice.tasks.list({ q: `a${"\u0301".repeat(801)}` }),
      "UNPROCESSABLE_CONTENT",
    );
  });

  it("refuses U+0000 and unpaired surrogates in every text instead of altering them", async () => {
    const task = await t.alice.tasks.create({ title: "clean" });
    for (const bad of ["a\u0000b", "\ud800", "x\udfff", "\udc00\ud800"]) {
      const attempts = [
        t.alice.tasks.create({ title: bad }),
        t.alice.tasks.create({ title: "ok", description: bad }),
        t.alice.tasks.update({ id: task.id, title: bad }),
        t.alice.tasks.update({ id: task.id, description: bad }),
        t.alice.tasks.list({ q: bad }),
      ];
      for (const attempt of attempts) {
        const error = await expectTRPCError(attempt, "UNPROCESSABLE_CONTENT");
        expect(error.message).toMatch(
          /must be well-formed Unicode without U\+0000, not beginning with U\+FEFF\./,
        );
      }
    }
    const paired = "😀 \ud83d\ude00";
    const stored = await t.alice.tasks.create({ title: paired, description: paired });
    expect(await t.alice.tasks.get({ id: stored.id })).toMatchObject({
      title: paired,
      description: paired,
    });
    expect((await t.alice.tasks.get({ id: task.id })).title).toBe("clean");
  });

  it("applies the same limits on update", async () => {
    const task = await t.alice.tasks.create({ title: "short" });
    await expectTRPCError(
      t.alice.tasks.update({ id: task.id, title: "a".repeat(201) }),
      "UNPROCESSABLE_CONTENT",
    );
    await expectTRPCError(
      t.alice.tasks.update({ id: task.id, description: "x".repeat(1001) }),
      "UNPROCESSABLE_CONTENT",
    );
    expect((await t.alice.tasks.get({ id: task.id })).title).toBe("short");
  });
});

import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError, Harness, newUserId, type Caller } from "./harness.ts";

const MISSING_ID = "0190c7e4-1b6d-7c2a-9a35-1a2b3c4d5e6f";

describe.each(testDrivers())("tasks procedure errors on %s", (driver) => {
  let harness: Harness;
  let alice: Caller;
  let taskId: string;

  beforeAll(async () => {
    harness = await Harness.start(driver);
    alice = await harness.callerFor(newUserId());
    taskId = (await alice.tasks.create({ title: "mine" })).id;
  });
  afterAll(() => harness.close());

  describe("authentication comes first", () => {
    it("refuses a request without a token, even with a bad input", async () => {
      const anonymous = await harness.callerWithHeader(undefined);
      const error = await expectTRPCError(
        anonymous.tasks.get({ id: "not-a-uuid" }),
        "UNAUTHORIZED",
      );
      expect(error.message).toMatch(/token/i);
    });

    it("refuses an expired token with its reason", async () => {
      const token = await harness.issuer.sign({ sub: newUserId() }, { expiresIn: -120 });
      const caller = await harness.callerWithHeader(`Bearer ${token}`);
      const error = await expectTRPCError(caller.tasks.list({}), "UNAUTHORIZED");
      expect(error.message).toMatch(/expired/i);
      expect(error.message).not.toContain(token);
    });

    it("refuses a malformed authorization header", async () => {
      const caller = await harness.callerWithHeader("Bearer not.a.jwt");
      await expectTRPCError(caller.tasks.create({ title: "x" }), "UNAUTHORIZED");
    });
  });

  describe("validation", () => {
    it("rejects a malformed id on every procedure that takes one", async () => {
      for (const call of [
        () => alice.tasks.get({ id: "42" }),
        () => alice.tasks.update({ id: "42", title: "x" }),
        () => alice.tasks.delete({ id: "42" }),
        () => alice.tasks.toggle({ id: "42" }),
      ]) {
        const error = await expectTRPCError(call(), "UNPROCESSABLE_CONTENT");
        expect(error.message).toContain("id: The id must be a UUID.");
      }
    });

    it("rejects a missing, blank or non-string title", async () => {
      // @ts-expect-error the title is required
      await expectTRPCError(alice.tasks.create({}), "UNPROCESSABLE_CONTENT");
      const blank = await expectTRPCError(
        alice.tasks.create({ title: "   " }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(blank.message).toContain("title: Title must not be empty.");
      // @ts-expect-error the title is a string
      await expectTRPCError(alice.tasks.create({ title: 5 }), "UNPROCESSABLE_CONTENT");
    });

    it("rejects unknown fields", async () => {
      const error = await expectTRPCError(
        // @ts-expect-error userId is not an input: the owner comes from the token
        alice.tasks.create({ title: "x", userId: "someone-else" }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(error.message).toMatch(/userId/);
      // @ts-expect-error toggle takes only the id
      const toggleWithField = alice.tasks.toggle({ id: taskId, completed: true });
      await expectTRPCError(toggleWithField, "UNPROCESSABLE_CONTENT");
    });

    it("rejects an update without any field", async () => {
      const error = await expectTRPCError(
        alice.tasks.update({ id: taskId }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(error.message).toContain("Give at least one of title, description or completed.");
    });

    it("rejects list options outside their ranges", async () => {
      await expectTRPCError(alice.tasks.list({ limit: 0 }), "UNPROCESSABLE_CONTENT");
      await expectTRPCError(alice.tasks.list({ limit: 101 }), "UNPROCESSABLE_CONTENT");
      await expectTRPCError(alice.tasks.list({ limit: 2.5 }), "UNPROCESSABLE_CONTENT");
      // @ts-expect-error not a status
      await expectTRPCError(alice.tasks.list({ status: "done" }), "UNPROCESSABLE_CONTENT");
      // @ts-expect-error not a sort
      await expectTRPCError(alice.tasks.list({ sort: "id" }), "UNPROCESSABLE_CONTENT");
      // @ts-expect-error not an order
      await expectTRPCError(alice.tasks.list({ order: "up" }), "UNPROCESSABLE_CONTENT");
    });

    it("rejects tampered cursors with a clear error", async () => {
      const valid = Buffer.from(
        JSON.stringify({ s: "createdAt", o: "desc", v: new Date().toISOString(), i: taskId }),
      ).toString("base64url");
      const tampered = [
        "garbage",
        "",
        Buffer.from("{not json").toString("base64url"),
        Buffer.from(
          JSON.stringify({ s: "createdAt", o: "desc", v: "yesterday", i: taskId }),
        ).toString("base64url"),
        Buffer.from(JSON.stringify({ s: "createdAt", o: "desc", v: "x", i: "1" })).toString(
          "base64url",
        ),
        "x".repeat(600),
      ];
      for (const cursor of tampered) {
        const error = await expectTRPCError(alice.tasks.list({ cursor }), "UNPROCESSABLE_CONTENT");
        expect(error.message).toMatch(/cursor/i);
      }
      const otherSort = await expectTRPCError(
        alice.tasks.list({ cursor: valid, sort: "title" }),
        "UNPROCESSABLE_CONTENT",
      );
      expect(otherSort.message).toMatch(/cursor/i);
      await expect(alice.tasks.list({ cursor: valid })).resolves.toHaveProperty("items");
    });
  });

  describe("missing tasks", () => {
    it("answers NOT_FOUND for an id that exists nowhere", async () => {
      await expectTRPCError(alice.tasks.get({ id: MISSING_ID }), "NOT_FOUND");
      await expectTRPCError(alice.tasks.update({ id: MISSING_ID, title: "x" }), "NOT_FOUND");
      await expectTRPCError(alice.tasks.delete({ id: MISSING_ID }), "NOT_FOUND");
      await expectTRPCError(alice.tasks.toggle({ id: MISSING_ID }), "NOT_FOUND");
    });
  });
});

import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../baseline/cursor.ts";

const ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

describe("baseline cursor", () => {
  it("round-trips the keyset of the last row", () => {
    const cursor = { value: "2026-01-02T03:04:05.678Z", id: ID };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("is opaque base64url text", () => {
    expect(encodeCursor({ value: "a title with / and + and ?", id: ID })).toMatch(
      /^[A-Za-z0-9_-]+$/,
    );
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["JSON of the wrong shape", Buffer.from('{"value":"x"}').toString("base64url")],
    ["an id that is not a UUID", Buffer.from('["x","42"]').toString("base64url")],
    ["a value that is not a string", Buffer.from(`[1,"${ID}"]`).toString("base64url")],
  ])("rejects %s", (_label, text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});

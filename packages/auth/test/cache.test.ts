import { describe, expect, it } from "vitest";
import { VerifiedTokenCache } from "../src/cache.ts";

const user = { id: "u", expiresAt: 2_000_000_000 };
const t0 = 1_000_000_000_000;
const expInAnHour = t0 / 1000 + 3600;

describe("VerifiedTokenCache", () => {
  it("serves an entry until the TTL ends", () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    cache.set("a", user, expInAnHour, t0);
    expect(cache.get("a", t0 + 59_999)).toEqual(user);
    expect(cache.get("a", t0 + 60_000)).toBeUndefined();
  });

  it("never serves a token past its exp", () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    cache.set("a", user, t0 / 1000 + 5, t0);
    expect(cache.get("a", t0 + 4_999)).toEqual(user);
    expect(cache.get("a", t0 + 5_000)).toBeUndefined();
  });

  it("evicts the least recently used entry beyond its size", () => {
    const cache = new VerifiedTokenCache(2, 60_000);
    cache.set("a", user, expInAnHour, t0);
    cache.set("b", user, expInAnHour, t0);
    cache.get("a", t0);
    cache.set("c", user, expInAnHour, t0);
    expect(cache.size).toBe(2);
    expect(cache.get("b", t0)).toBeUndefined();
    expect(cache.get("a", t0)).toEqual(user);
    expect(cache.get("c", t0)).toEqual(user);
  });
});

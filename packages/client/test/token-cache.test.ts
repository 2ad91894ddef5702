import { describe, expect, it } from "vitest";
import { createTokenCache } from "../src/token-cache.ts";

/** An unsigned JWT-shaped token: the cache reads `iat` and `exp`, never verifies. */
function token(iatSeconds: number, expSeconds: number, id: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "EdDSA" })}.${part({ sub: "u", iat: iatSeconds, exp: expSeconds, id })}.sig`;
}

function issuer(lifetimeSeconds: number, clock: { now: number }) {
  let issued = 0;
  return {
    get issued() {
      return issued;
    },
    async fetchToken() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      issued += 1;
      const iat = Math.floor(clock.now / 1000);
      return token(iat, iat + lifetimeSeconds, issued);
    },
  };
}

describe("createTokenCache", () => {
  it("fetches once for concurrent callers and reuses the token while it is fresh", async () => {
    const clock = { now: 1_700_000_000_000 };
    const source = issuer(900, clock);
    const cache = createTokenCache({ fetchToken: () => source.fetchToken(), now: () => clock.now });
    const tokens = await Promise.all([cache.getToken(), cache.getToken(), cache.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    clock.now += 800_000;
    expect(await cache.getToken()).toBe(tokens[0]);
    expect(source.issued).toBe(1);
  });

  it("refreshes shortly before exp, and at half the lifetime of a short-lived token", async () => {
    const clock = { now: 1_700_000_000_000 };
    const long = issuer(900, clock);
    const longCache = createTokenCache({
      fetchToken: () => long.fetchToken(),
      now: () => clock.now,
    });
    const first = await longCache.getToken();
    clock.now += 871_000; // 29 s before exp: inside the 30 s margin
    expect(await longCache.getToken()).not.toBe(first);
    expect(long.issued).toBe(2);

    const short = issuer(10, clock);
    const shortCache = createTokenCache({
      fetchToken: () => short.fetchToken(),
      now: () => clock.now,
    });
    await shortCache.getToken();
    clock.now += 4_000;
    await shortCache.getToken();
    expect(short.issued).toBe(1);
    clock.now += 1_000;
    await shortCache.getToken();
    expect(short.issued).toBe(2);
  });

  it("fetches again after invalidate, and never caches a missing or unreadable token", async () => {
    const clock = { now: 1_700_000_000_000 };
    const source = issuer(900, clock);
    const cache = createTokenCache({ fetchToken: () => source.fetchToken(), now: () => clock.now });
    await cache.getToken();
    cache.invalidate();
    await cache.getToken();
    expect(source.issued).toBe(2);

    let calls = 0;
    const answers = [null, "not-a-jwt", "a.%%%.b"];
    const odd = createTokenCache({ fetchToken: async () => answers[calls++] ?? null });
    expect(await odd.getToken()).toBeNull();
    expect(await odd.getToken()).toBe("not-a-jwt");
    expect(await odd.getToken()).toBe("a.%%%.b");
    expect(calls).toBe(3);
  });

  it("lets a failed fetch reject every waiting caller and tries again on the next call", async () => {
    let calls = 0;
    const cache = createTokenCache({
      fetchToken: async () => {
        calls += 1;
        if (calls === 1) throw new Error("issuer down");
        return "t";
      },
    });
    const results = await Promise.allSettled([cache.getToken(), cache.getToken()]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(await cache.getToken()).toBe("t");
    expect(calls).toBe(2);
  });
});

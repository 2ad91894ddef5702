import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { feedEnding } from "../src/live/feed-ending.ts";
import { pause } from "../src/live/wakeup.ts";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const inSeconds = (seconds: number) => (Date.now() + seconds * 1000) / 1000;

describe("a feed's ending signal", () => {
  it("fires at the token's expiry even when garbage is collected while the feed waits", async () => {
    const { signal, stop } = feedEnding([new AbortController().signal], inSeconds(0.3));
    const started = Date.now();
    // As the feed waits between reads: a listener on the signal only while it waits.
    while (!signal.aborted && Date.now() - started < 3_000) {
      await pause(50, signal);
      collectGarbage();
    }
    stop();
    expect(signal.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("fires when the client leaves or the server shuts down, and stop() clears the expiry", () => {
    const client = new AbortController();
    const shutdown = new AbortController();
    const first = feedEnding([client.signal, shutdown.signal], inSeconds(60));
    const second = feedEnding([client.signal, shutdown.signal], inSeconds(60));
    client.abort();
    expect(first.signal.aborted).toBe(true);
    first.stop();
    shutdown.abort();
    expect(second.signal.aborted).toBe(true);
    second.stop();
  });

  it("has already fired for a token that has expired", async () => {
    const { signal, stop } = feedEnding([], inSeconds(-1));
    await pause(50, signal);
    expect(signal.aborted).toBe(true);
    stop();
  });
});

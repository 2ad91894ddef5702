/** setTimeout's longest delay: a feed of a token valid for longer ends then, and its client reconnects. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface FeedEnding {
  /** Aborts when any of the signals does or when `expiresAt` (epoch seconds) passes. */
  readonly signal: AbortSignal;
  /** Clears the expiry timer; call it when the feed ends. */
  stop(): void;
}

/**
 * The signal that ends a feed. The expiry is a timer that holds its controller, not
 * `AbortSignal.timeout`: on Node 20, a timeout signal referenced only through
 * `AbortSignal.any` can be garbage-collected before it fires, and the stream then
 * outlived its token.
 */
export function feedEnding(signals: readonly AbortSignal[], expiresAt: number): FeedEnding {
  const expiry = new AbortController();
  const timer = setTimeout(
    () => expiry.abort(new DOMException("The token expired.", "TimeoutError")),
    Math.min(LONGEST_TIMER_MS, Math.max(0, expiresAt * 1000 - Date.now())),
  );
  return {
    signal: AbortSignal.any([...signals, expiry.signal]),
    stop: () => clearTimeout(timer),
  };
}

/**
 * A level-triggered "look again": signals that arrive while nobody waits are
 * remembered (as one), so a notification during a read is never lost.
 */
export class Wakeup {
  private pending = true;
  private release: (() => void) | undefined;
  /** When the latest signal came (performance.now()); at first, when the wakeup was made. */
  signalledAt = performance.now();

  signal = (): void => {
    this.pending = true;
    this.signalledAt = performance.now();
    this.release?.();
  };

  /** Resolves at the next signal (at once if one is pending), after `ms`, or when `abort` fires. */
  async wait(ms: number, abort: AbortSignal): Promise<void> {
    if (!this.pending) {
      await pause(ms, abort, (release) => (this.release = release));
      this.release = undefined;
    }
    this.pending = false;
  }
}

/** Sleeps `ms` unless `abort` fires (or the `release` handed to `onStart` is called) first. */
export function pause(
  ms: number,
  abort: AbortSignal,
  onStart?: (release: () => void) => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    if (abort.aborted) return resolve();
    const timer = setTimeout(done, ms);
    abort.addEventListener("abort", done, { once: true });
    onStart?.(done);
    function done() {
      clearTimeout(timer);
      abort.removeEventListener("abort", done);
      resolve();
    }
  });
}

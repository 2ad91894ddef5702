/** One open stream's hold on its user's allowance; `release` is idempotent. */
export interface StreamSlot {
  /** Fires when the server shuts down: the stream ends so its client reconnects elsewhere. */
  readonly closing: AbortSignal;
  release(): void;
}

/** Counts each user's open streams against a cap, and ends them all at shutdown. */
export class OpenStreams {
  private readonly perUser = new Map<string, number>();
  private readonly shutdown = new AbortController();

  constructor(readonly maxPerUser: number) {}

  /** A slot for one more of `userId`'s streams, or null when they hold the most allowed. */
  open(userId: string): StreamSlot | null {
    const held = this.perUser.get(userId) ?? 0;
    if (held >= this.maxPerUser || this.shutdown.signal.aborted) return null;
    this.perUser.set(userId, held + 1);
    let released = false;
    return {
      closing: this.shutdown.signal,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.perUser.get(userId) ?? 1) - 1;
        if (left === 0) this.perUser.delete(userId);
        else this.perUser.set(userId, left);
      },
    };
  }

  /** How many streams are open, over all users. */
  get size(): number {
    let total = 0;
    for (const held of this.perUser.values()) total += held;
    return total;
  }

  /** Ends every open stream and refuses new ones. */
  closeAll(): void {
    this.shutdown.abort();
  }
}

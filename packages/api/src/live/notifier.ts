/**
 * Tells subscribers "this user has new events". The outbox stays the source of
 * truth: a notification carries no event, so one lost or doubled costs nothing but
 * a read (subscribers also poll, docs/live-updates.md).
 */
export interface ChangeNotifier {
  /** Tells every instance that `userId` has new events; never rejects. */
  publish(userId: string): Promise<void>;
  /**
   * `listener` runs when `userId` may have new events, and after the notifier
   * reconnects (it may have missed some). Returns the unsubscribe function.
   */
  subscribe(userId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** The listeners of this process, by user: what every notifier delivers to. */
export class LocalListeners {
  private readonly byUser = new Map<string, Set<() => void>>();

  add(userId: string, listener: () => void): () => void {
    const listeners = this.byUser.get(userId) ?? new Set();
    listeners.add(listener);
    this.byUser.set(userId, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.byUser.get(userId) === listeners) this.byUser.delete(userId);
    };
  }

  wake(userId: string): void {
    for (const listener of this.byUser.get(userId) ?? []) listener();
  }

  wakeAll(): void {
    for (const listeners of this.byUser.values()) for (const listener of listeners) listener();
  }
}

/** One process owns the database (PGlite): nobody else needs telling. */
export class InProcessNotifier implements ChangeNotifier {
  private readonly listeners = new LocalListeners();

  async publish(userId: string): Promise<void> {
    this.listeners.wake(userId);
  }

  subscribe(userId: string, listener: () => void): () => void {
    return this.listeners.add(userId, listener);
  }

  async close(): Promise<void> {}
}

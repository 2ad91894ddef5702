import { hash } from "node:crypto";
import type { AuthUser } from "./user.ts";

interface Entry {
  user: AuthUser;
  validUntilMs: number;
}

/**
 * Remembers recently verified tokens so a client repeating one skips the signature check.
 * Keys are SHA-256 digests, so the cache never holds a usable token. A Map keeps insertion
 * order: re-inserting on a hit makes the first key the least recently used one.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get(token: string, nowMs = Date.now()): AuthUser | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.validUntilMs <= nowMs) return undefined;
    this.entries.set(key, entry);
    return entry.user;
  }

  /** `expiresAtSeconds` is the token's `exp`: an entry never outlives its token. */
  set(token: string, user: AuthUser, expiresAtSeconds: number, nowMs = Date.now()): void {
    const validUntilMs = Math.min(expiresAtSeconds * 1000, nowMs + this.ttlMs);
    if (validUntilMs <= nowMs) return;
    const key = digest(token);
    this.entries.delete(key);
    this.entries.set(key, { user, validUntilMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One-shot hashing: no Hash object per request. */
function digest(token: string): string {
  return hash("sha256", token, "base64url");
}

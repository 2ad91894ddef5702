import type { TokenResult } from "./index.ts";

export interface TokenCacheOptions {
  /** Fetches a fresh token, e.g. `() => authClient.token().then((r) => r.data?.token)`. */
  fetchToken: () => Promise<TokenResult>;
  /** How long before `exp` a token is replaced; at most half its lifetime. Default 30 s. */
  refreshBeforeExpirySeconds?: number;
  /** The clock, in milliseconds; tests pass their own. */
  now?: () => number;
}

export interface TokenCache {
  /** The cached token while it is fresh; otherwise one fetch, shared by every concurrent caller. */
  getToken(): Promise<TokenResult>;
  /** Forgets the token (the API refused it); the next getToken fetches a new one. */
  invalidate(): void;
}

interface Cached {
  token: string;
  /** When to stop using it, in milliseconds. */
  refreshAt: number;
}

/**
 * Keeps a JWT until shortly before it expires, so calls do not each ask the issuer
 * for one. A token without a readable `exp` is used for one call only.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const now = options.now ?? Date.now;
  const marginMs = (options.refreshBeforeExpirySeconds ?? 30) * 1000;
  let cached: Cached | undefined;
  let pending: Promise<TokenResult> | undefined;

  async function refresh(): Promise<TokenResult> {
    const token = await options.fetchToken();
    cached = token ? { token, refreshAt: refreshTimeOf(token, marginMs) } : undefined;
    return token;
  }

  return {
    getToken() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= refresh().finally(() => (pending = undefined));
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

function refreshTimeOf(token: string, marginMs: number): number {
  const claims = claimsOf(token);
  if (typeof claims?.exp !== "number") return 0;
  const expiresAt = claims.exp * 1000;
  const lifetime = typeof claims.iat === "number" ? expiresAt - claims.iat * 1000 : marginMs * 2;
  return expiresAt - Math.min(marginMs, lifetime / 2);
}

/** The payload of a JWT, unverified: only the API verifies tokens; this only reads `exp`. */
function claimsOf(token: string): { exp?: unknown; iat?: unknown } | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(json) as { exp?: unknown; iat?: unknown };
  } catch {
    return undefined;
  }
}

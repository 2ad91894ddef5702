import { jwtVerify, type JWTPayload } from "jose";
import { bearerToken } from "./bearer.ts";
import { VerifiedTokenCache } from "./cache.ts";
import { AuthError } from "./errors.ts";
import { checkTokenShape } from "./header.ts";
import { toAuthError } from "./jose-errors.ts";
import { createKeyResolver } from "./keys.ts";
import {
  asymmetricAlgorithms,
  defaultAlgorithms,
  isSymmetricAlgorithm,
  maxClockToleranceSeconds,
  type AsymmetricAlgorithm,
  type VerifierOptions,
} from "./options.ts";
import type { AuthUser } from "./user.ts";

export type AuthResult = { ok: true; user: AuthUser } | { ok: false; error: AuthError };

export interface TokenVerifier {
  /** Resolves with the token's user; rejects with an AuthError. */
  verify(token: string): Promise<AuthUser>;
  /** Reads an Authorization header value; never rejects. */
  authenticate(authorization: string | undefined): Promise<AuthResult>;
}

/** Validates the options and imports static keys once; the returned verifier does no per-request setup. */
export async function createTokenVerifier(options: VerifierOptions): Promise<TokenVerifier> {
  const algorithms = checkedAlgorithms(options);
  const clockTolerance = checkedClockTolerance(options.clockToleranceSeconds);
  const getKey = await createKeyResolver({
    jwksUrl: options.jwksUrl,
    publicKey: options.publicKey,
    secret: options.secret,
    asymmetricAlgorithms: algorithms.filter((alg): alg is AsymmetricAlgorithm =>
      (asymmetricAlgorithms as readonly string[]).includes(alg),
    ),
    jwks: options.jwks,
  });
  const allowed = new Set<string>(algorithms);
  const maxTokenLength = options.maxTokenLength ?? 8192;
  const cache = createCache(options.verifiedTokenCache);
  const verifyOptions = {
    algorithms: [...algorithms],
    clockTolerance,
    requiredClaims: ["exp"],
    ...(options.issuer?.length ? { issuer: [...options.issuer] } : {}),
    ...(options.audience?.length ? { audience: [...options.audience] } : {}),
  };

  async function verifyUncached(token: string): Promise<AuthUser> {
    checkTokenShape(token, allowed, maxTokenLength);
    const { payload } = await jwtVerify(token, getKey, verifyOptions).catch((error: unknown) => {
      throw toAuthError(error);
    });
    checkIssuedAt(payload, clockTolerance);
    const user = userFrom(payload);
    cache?.set(token, user, payload.exp as number);
    return user;
  }

  async function verify(token: string): Promise<AuthUser> {
    return cache?.get(token) ?? verifyUncached(token);
  }

  return {
    verify,
    async authenticate(authorization) {
      try {
        return { ok: true, user: await verify(bearerToken(authorization)) };
      } catch (error) {
        return { ok: false, error: toAuthError(error) };
      }
    },
  };
}

function checkedAlgorithms(options: VerifierOptions) {
  const hasPublicKeys = Boolean(options.jwksUrl || options.publicKey);
  if (!hasPublicKeys && !options.secret) {
    throw new Error("The token verifier needs a key source: jwksUrl, publicKey or secret.");
  }
  if (options.jwksUrl && options.publicKey) throw new Error("Give jwksUrl or publicKey, not both.");
  const algorithms = options.algorithms ?? defaultAlgorithms(Boolean(options.secret));
  // Accepting HS* without a secret is the classic algorithm-confusion hole: refuse the config.
  if (!options.secret && algorithms.some(isSymmetricAlgorithm)) {
    throw new Error("HS* algorithms are allowed but no shared secret is configured.");
  }
  // With only a secret, asymmetric algorithms have no key to check against.
  const usable = hasPublicKeys ? algorithms : algorithms.filter(isSymmetricAlgorithm);
  if (usable.length === 0) throw new Error("No allowed algorithm fits the configured key source.");
  return usable;
}

function checkedClockTolerance(seconds = 30): number {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > maxClockToleranceSeconds) {
    throw new Error(
      `The clock tolerance must be between 0 and ${maxClockToleranceSeconds} seconds.`,
    );
  }
  return seconds;
}

function createCache(
  settings: VerifierOptions["verifiedTokenCache"],
): VerifiedTokenCache | undefined {
  if (settings === false) return undefined;
  return new VerifiedTokenCache(
    settings?.maxEntries ?? 10_000,
    (settings?.ttlSeconds ?? 60) * 1000,
  );
}

/** jose only checks `iat` with maxTokenAge; a token issued in the future is not valid yet. */
function checkIssuedAt(payload: JWTPayload, clockToleranceSeconds: number): void {
  if (payload.iat === undefined) return;
  if (typeof payload.iat !== "number")
    throw new AuthError("malformed", 'The token\'s "iat" claim is not a number.');
  if (payload.iat > Date.now() / 1000 + clockToleranceSeconds) throw new AuthError("not_yet_valid");
}

/** The longest `sub` accepted, in code points. */
export const SUBJECT_MAX = 255;

/**
 * A `sub` must name one user exactly as stored: PostgreSQL refuses U+0000, and an
 * unpaired surrogate has no UTF-8 form (it would be stored as U+FFFD, so two
 * different subjects would share one user's tasks).
 */
function isValidSubject(sub: string): boolean {
  // A leading U+FEFF is dropped by the embedded database's decoder: refused too.
  if (sub.includes("\u0000") || /\p{Cs}/u.test(sub) || sub.startsWith("\ufeff")) return false;
  return sub.length <= SUBJECT_MAX || [...sub].length <= SUBJECT_MAX;
}

function userFrom(payload: JWTPayload): AuthUser {
  const { sub, email, name } = payload;
  if (typeof sub !== "string" || sub.length === 0) throw new AuthError("no_subject");
  if (!isValidSubject(sub)) {
    throw new AuthError(
      "malformed",
      `The token's subject (sub) must be well-formed text without U+0000, at most ${SUBJECT_MAX} characters.`,
    );
  }
  return {
    id: sub,
    expiresAt: payload.exp as number,
    ...(typeof email === "string" ? { email } : {}),
    ...(typeof name === "string" ? { name } : {}),
  };
}

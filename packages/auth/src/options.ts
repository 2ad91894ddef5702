/** Asymmetric algorithms a public key or JWKS may verify. */
export const asymmetricAlgorithms = [
  "EdDSA",
  "Ed25519",
  "ES256",
  "ES384",
  "ES512",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
] as const;
/** Shared-secret algorithms, only ever checked against AUTH_JWT_SECRET. */
export const symmetricAlgorithms = ["HS256", "HS384", "HS512"] as const;
export const supportedAlgorithms = [...asymmetricAlgorithms, ...symmetricAlgorithms] as const;

export type AsymmetricAlgorithm = (typeof asymmetricAlgorithms)[number];
export type SymmetricAlgorithm = (typeof symmetricAlgorithms)[number];
export type JwtAlgorithm = (typeof supportedAlgorithms)[number];

/** Better Auth's JWT plugin algorithms: the allow-list when none is configured. */
export const defaultPublicKeyAlgorithms: readonly JwtAlgorithm[] = [
  "EdDSA",
  "ES256",
  "RS256",
  "PS256",
];

export function isSymmetricAlgorithm(alg: string): alg is SymmetricAlgorithm {
  return (symmetricAlgorithms as readonly string[]).includes(alg);
}

export interface JwksSettings {
  /** How long a fetched JWKS is used before it is fetched again. Default 600 000 (10 min). */
  cacheMaxAgeMs?: number;
  /** Least time between two fetches caused by unknown `kid`s. Default 30 000. */
  cooldownMs?: number;
  /** Timeout of one JWKS request. Default 5 000. */
  timeoutMs?: number;
  /** After a failed fetch, answer `issuer_unavailable` without trying again for this long. Default 1 000. */
  unavailableBackoffMs?: number;
}

export interface VerifiedTokenCacheSettings {
  /** Most tokens remembered. Default 10 000. */
  maxEntries?: number;
  /** Longest time a verified token skips the signature check. Default 60. */
  ttlSeconds?: number;
}

/** Exactly one of `jwksUrl` or `publicKey`, and/or `secret`. */
export interface VerifierOptions {
  /** The issuer's JWKS, e.g. `https://app.example.com/api/auth/jwks`. */
  jwksUrl?: string | URL;
  /** A PEM public key (SPKI or X.509 certificate), a JWK, or a JWK Set as JSON. */
  publicKey?: string;
  /** HS256/384/512 shared secret (at least 32 bytes). */
  secret?: string;
  /** Accepted `iss` values; unset or empty: not checked. */
  issuer?: readonly string[];
  /** Accepted `aud` values (any one must match); unset or empty: not checked. */
  audience?: readonly string[];
  /** Allow-list. Default EdDSA, ES256, RS256, PS256, plus HS256 when `secret` is set. */
  algorithms?: readonly JwtAlgorithm[];
  /** Leeway for `exp`, `nbf` and `iat`, 0–60. Default 30. */
  clockToleranceSeconds?: number;
  jwks?: JwksSettings;
  /** Cache of verified tokens; `false` checks every signature. */
  verifiedTokenCache?: VerifiedTokenCacheSettings | false;
  /** Longest accepted token, in characters. Default 8192. */
  maxTokenLength?: number;
}

export const maxClockToleranceSeconds = 60;

export function defaultAlgorithms(hasSecret: boolean): JwtAlgorithm[] {
  return hasSecret ? [...defaultPublicKeyAlgorithms, "HS256"] : [...defaultPublicKeyAlgorithms];
}

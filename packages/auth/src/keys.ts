import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importJWK,
  importSPKI,
  importX509,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import { AuthError } from "./errors.ts";
import {
  isSymmetricAlgorithm,
  symmetricAlgorithms,
  type AsymmetricAlgorithm,
  type JwksSettings,
  type SymmetricAlgorithm,
} from "./options.ts";

type KeyResolver = JWTVerifyGetKey;

/** Picks the verification key by the header's `alg` (and `kid` for a JWKS). */
export async function createKeyResolver(source: {
  jwksUrl?: string | URL | undefined;
  publicKey?: string | undefined;
  secret?: string | undefined;
  asymmetricAlgorithms: readonly AsymmetricAlgorithm[];
  jwks?: JwksSettings | undefined;
}): Promise<KeyResolver> {
  // HS* tokens are only ever checked against the secret, never against a public key's bytes.
  const secretKeys = source.secret === undefined ? undefined : await importSecret(source.secret);
  const publicKeys = source.jwksUrl
    ? remoteKeyResolver(new URL(source.jwksUrl), source.jwks ?? {})
    : source.publicKey
      ? await staticKeyResolver(source.publicKey, source.asymmetricAlgorithms)
      : undefined;
  return async (header, token) => {
    if (isSymmetricAlgorithm(header.alg)) {
      const key = secretKeys?.get(header.alg);
      if (key) return key;
    } else if (publicKeys) {
      return publicKeys(header, token);
    }
    throw new errors.JWKSNoMatchingKey();
  };
}

/** A CryptoKey per HS algorithm: handing jose raw bytes would re-import the key on every call. */
async function importSecret(secret: string): Promise<Map<SymmetricAlgorithm, CryptoKey>> {
  const bytes = new TextEncoder().encode(secret);
  const keys = new Map<SymmetricAlgorithm, CryptoKey>();
  for (const alg of symmetricAlgorithms) {
    const hash = `SHA-${alg.slice(2)}`;
    keys.set(
      alg,
      await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash }, false, ["verify"]),
    );
  }
  return keys;
}

/** jose's remote set: fetched once, cached, refetched on an unknown `kid` at most once per cooldown. */
function remoteKeyResolver(url: URL, settings: JwksSettings): KeyResolver {
  const remote = createRemoteJWKSet(url, {
    cacheMaxAge: settings.cacheMaxAgeMs ?? 600_000,
    cooldownDuration: settings.cooldownMs ?? 30_000,
    timeoutDuration: settings.timeoutMs ?? 5_000,
  });
  const backoffMs = settings.unavailableBackoffMs ?? 1_000;
  let unavailableUntil = 0;
  return async (header, token) => {
    // Without usable keys every request would fetch; after a failure, fail fast for a moment instead.
    if (!remote.fresh && Date.now() < unavailableUntil) throw new AuthError("issuer_unavailable");
    try {
      return await remote(header, token);
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      unavailableUntil = Date.now() + backoffMs;
      throw new AuthError("issuer_unavailable", undefined, { cause: error });
    }
  };
}

/** Network errors, timeouts, non-200 answers and unparsable key sets, as opposed to key lookup misses. */
function isFetchFailure(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error.code === errors.JOSEError.code ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid
  );
}

/** Imports a PEM / JWK / JWK Set once, for every allowed algorithm the key can serve. */
async function staticKeyResolver(
  text: string,
  algorithms: readonly AsymmetricAlgorithm[],
): Promise<KeyResolver> {
  // Env files often carry PEM line breaks as literal "\n".
  const material = text.trim().replace(/\\n/g, "\n");
  if (!material.startsWith("-----BEGIN")) return jwkResolver(parseJson(material), algorithms);
  const importPem = material.includes("CERTIFICATE") ? importX509 : importSPKI;
  const keys = await importForEach(algorithms, (alg) => importPem(material, alg));
  return byAlgorithm(keys, algorithms);
}

async function jwkResolver(
  json: unknown,
  algorithms: readonly AsymmetricAlgorithm[],
): Promise<KeyResolver> {
  if (isObject(json) && Array.isArray(json.keys)) {
    json.keys.forEach(assertPublicJwk);
    return createLocalJWKSet({ keys: json.keys as JWK[] });
  }
  assertPublicJwk(json);
  const jwk = json as JWK;
  const candidates = jwk.alg ? algorithms.filter((alg) => alg === jwk.alg) : algorithms;
  const keys = await importForEach(candidates, (alg) => importJWK(jwk, alg) as Promise<CryptoKey>);
  return byAlgorithm(keys, algorithms);
}

async function importForEach(
  algorithms: readonly AsymmetricAlgorithm[],
  importKey: (alg: AsymmetricAlgorithm) => Promise<CryptoKey>,
): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    // A key fits only some algorithms (an RSA key: RS*/PS*); the others fail to import.
    const key = await importKey(alg).catch(() => undefined);
    if (key) keys.set(alg, key);
  }
  return keys;
}

function byAlgorithm(
  keys: Map<string, CryptoKey>,
  algorithms: readonly AsymmetricAlgorithm[],
): KeyResolver {
  if (keys.size === 0) {
    throw new Error(
      `AUTH_PUBLIC_KEY cannot verify any allowed algorithm (${algorithms.join(", ")}).`,
    );
  }
  return async (header) => {
    const key = keys.get(header.alg);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("AUTH_PUBLIC_KEY is neither a PEM public key nor JWK JSON.");
  }
}

function assertPublicJwk(value: unknown): void {
  if (!isObject(value) || typeof value.kty !== "string") {
    throw new Error("AUTH_PUBLIC_KEY holds JSON that is not a JWK or a JWK Set.");
  }
  if (value.kty === "oct" || "d" in value) {
    throw new Error(
      "AUTH_PUBLIC_KEY must be a public key: use AUTH_JWT_SECRET for shared secrets.",
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

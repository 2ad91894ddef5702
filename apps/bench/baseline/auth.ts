// Bearer-token checks with jose. The public key is imported once at start; every
// request pays only for the signature check (no cache of verified tokens).
import { errors, importJWK, importSPKI, jwtVerify, type JWK } from "jose";

export type PublicKey =
  Awaited<ReturnType<typeof importSPKI>> | Awaited<ReturnType<typeof importJWK>>;

export type AuthResult = { ok: true; userId: string } | { ok: false; detail: string };

const ALGORITHMS = ["EdDSA"];
const CLOCK_TOLERANCE_S = 5;

/** Accepts a PEM (SPKI) public key or a JWK as JSON text. */
export async function importPublicKey(text: string): Promise<PublicKey> {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return importSPKI(trimmed, "EdDSA");
  const jwk = JSON.parse(trimmed) as JWK;
  return importJWK(jwk, jwk.alg ?? "EdDSA");
}

function failureDetail(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The token has expired.";
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "The token's signature is not valid.";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The token's ${error.claim} claim is not valid.`;
  return "The token is not a valid JWT.";
}

export async function authenticate(
  header: string | undefined,
  key: PublicKey,
): Promise<AuthResult> {
  if (header === undefined) return { ok: false, detail: "The Authorization header is missing." };
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  if (match?.[1] === undefined)
    return { ok: false, detail: "The Authorization header is not 'Bearer <token>'." };
  try {
    const { payload } = await jwtVerify(match[1], key, {
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp", "sub"],
    });
    return { ok: true, userId: payload.sub as string };
  } catch (error) {
    return { ok: false, detail: failureDetail(error) };
  }
}

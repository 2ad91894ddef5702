import { decodeProtectedHeader } from "jose";
import { AuthError } from "./errors.ts";

const maxKidLength = 256;

/**
 * Cheap checks before any crypto or network: size, shape, `alg` against the allow-list
 * (which also refuses `none`) and a sane `kid`, so junk never reaches the JWKS fetcher.
 */
export function checkTokenShape(
  token: string,
  allowed: ReadonlySet<string>,
  maxLength: number,
): void {
  if (token.length > maxLength) throw new AuthError("malformed", "The bearer token is too large.");
  if (token.split(".").length !== 3)
    throw new AuthError("malformed", "The bearer token is not a JWT.");
  const header = decodeHeader(token);
  if (typeof header.alg !== "string")
    throw new AuthError("malformed", "The token header has no algorithm.");
  if (!allowed.has(header.alg)) throw new AuthError("disallowed_algorithm");
  const { kid } = header;
  if (
    kid !== undefined &&
    (typeof kid !== "string" || kid.length === 0 || kid.length > maxKidLength)
  ) {
    throw new AuthError("malformed", "The token header has an invalid key id (kid).");
  }
}

function decodeHeader(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw new AuthError("malformed", "The token header is not valid base64url JSON.");
  }
}

import { AuthError } from "./errors.ts";

/** Extracts the token from `Authorization: Bearer <token>` (scheme case-insensitive, RFC 7235). */
export function bearerToken(authorization: string | undefined): string {
  const value = authorization?.trim();
  if (!value) throw new AuthError("missing");
  const [scheme, token, ...rest] = value.split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer") {
    throw new AuthError("malformed", "The Authorization header must use the Bearer scheme.");
  }
  if (!token || rest.length > 0) {
    throw new AuthError("malformed", "The Authorization header must be exactly 'Bearer <token>'.");
  }
  return token;
}

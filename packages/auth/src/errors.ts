/** Why a bearer token was refused. The server maps every reason to 401, except `issuer_unavailable` (503). */
export type AuthFailureReason =
  | "missing"
  | "malformed"
  | "expired"
  | "not_yet_valid"
  | "bad_signature"
  | "unknown_key"
  | "wrong_issuer"
  | "wrong_audience"
  | "disallowed_algorithm"
  | "no_subject"
  | "issuer_unavailable";

const defaultMessages: Record<AuthFailureReason, string> = {
  missing: "Authentication is required: send an Authorization: Bearer <token> header.",
  malformed: "The bearer token is malformed.",
  expired: "The token has expired.",
  not_yet_valid: "The token is not valid yet.",
  bad_signature: "The token's signature is invalid.",
  unknown_key: "The token was signed with a key the issuer does not publish.",
  wrong_issuer: "The token was issued by an issuer this API does not trust.",
  wrong_audience: "The token was not issued for this API (wrong audience).",
  disallowed_algorithm: "The token's signing algorithm is not allowed.",
  no_subject: "The token has no subject (sub) claim.",
  issuer_unavailable:
    "The token issuer cannot be reached to fetch its signing keys; try again shortly.",
};

/**
 * A refused token. `message` is a sentence fit for an HTTP 401 `detail`: it never
 * contains the token or its claims.
 */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly reason: AuthFailureReason;

  constructor(reason: AuthFailureReason, message?: string, options?: { cause?: unknown }) {
    super(message ?? defaultMessages[reason], options);
    this.reason = reason;
  }
}

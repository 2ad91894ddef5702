import { errors } from "jose";
import { AuthError } from "./errors.ts";

/** Translates what jose throws into a refusal reason; anything unrecognised counts as malformed. */
export function toAuthError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError("expired");
  if (error instanceof errors.JWTClaimValidationFailed)
    return claimError(error.claim, error.reason);
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError("disallowed_algorithm");
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthError("bad_signature");
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new AuthError("unknown_key");
  }
  return new AuthError("malformed");
}

function claimError(claim: string, reason: string): AuthError {
  switch (claim) {
    case "iss":
      return new AuthError("wrong_issuer");
    case "aud":
      return new AuthError("wrong_audience");
    case "sub":
      return new AuthError("no_subject");
    case "nbf":
    case "iat":
      return reason === "check_failed"
        ? new AuthError("not_yet_valid")
        : new AuthError("malformed", `The token's "${claim}" claim is not a number.`);
    case "exp":
      return new AuthError("malformed", "The token has no valid expiry (exp) claim.");
    default:
      return new AuthError("malformed");
  }
}

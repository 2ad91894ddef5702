import type { FieldIssue } from "@tasks/api";
import type { AuthError } from "@tasks/auth";

/** A REST request refused because its bearer token did not authenticate. */
export class AuthenticationRefused extends Error {
  constructor(readonly authError: AuthError) {
    super(authError.message);
    this.name = "AuthenticationRefused";
  }
}

/** Input that breaks a rule before it reaches a procedure (e.g. a missing body). */
export class InvalidInput extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super("The input is invalid.");
    this.name = "InvalidInput";
  }
}

/** Built by the rate limiter when a caller has used up its budget. */
export class RateLimited extends Error {
  readonly statusCode = 429;

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} seconds.`);
    this.name = "RateLimited";
  }
}

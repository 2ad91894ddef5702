export type { AuthUser } from "./user.ts";
export { AuthError, type AuthFailureReason } from "./errors.ts";
export { createTokenVerifier, type AuthResult, type TokenVerifier } from "./verifier.ts";
export {
  authEnvIssues,
  authEnvSchema,
  refineAuthEnv,
  verifierOptionsFromEnv,
  type AuthEnv,
  type AuthEnvIssue,
} from "./env.ts";
export {
  supportedAlgorithms,
  type JwksSettings,
  type JwtAlgorithm,
  type VerifiedTokenCacheSettings,
  type VerifierOptions,
} from "./options.ts";

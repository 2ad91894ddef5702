import { z } from "zod";
import {
  defaultAlgorithms,
  isSymmetricAlgorithm,
  maxClockToleranceSeconds,
  supportedAlgorithms,
  type VerifierOptions,
} from "./options.ts";

/** `FOO=` in an env file means unset, not an empty value. */
const blankAsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const optionalString = z.preprocess(blankAsUnset, z.string().optional());

const commaList = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess((value) => {
    const text = blankAsUnset(value);
    return typeof text === "string"
      ? text
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean)
      : text;
  }, z.array(item).min(1).optional());

/** The auth part of the server's environment; merge it into the server's config schema. */
export const authEnvSchema = z.object({
  AUTH_JWKS_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/ }).optional()),
  AUTH_PUBLIC_KEY: optionalString,
  AUTH_JWT_SECRET: z.preprocess(
    blankAsUnset,
    z
      .string()
      .min(32, "AUTH_JWT_SECRET must be at least 32 characters (256 bits) long.")
      .optional(),
  ),
  AUTH_ISSUER: commaList(z.string()),
  AUTH_AUDIENCE: commaList(z.string()),
  AUTH_ALGORITHMS: commaList(z.enum(supportedAlgorithms)),
  AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(maxClockToleranceSeconds).default(30),
});

export type AuthEnv = z.infer<typeof authEnvSchema>;

export interface AuthEnvIssue {
  path: keyof AuthEnv;
  message: string;
}

/** Rules across variables: one key source, and HS* only with a secret. Empty when the env is usable. */
export function authEnvIssues(env: AuthEnv): AuthEnvIssue[] {
  const issues: AuthEnvIssue[] = [];
  if (!env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY && !env.AUTH_JWT_SECRET) {
    issues.push({
      path: "AUTH_JWKS_URL",
      message:
        "Set one of AUTH_JWKS_URL, AUTH_PUBLIC_KEY or AUTH_JWT_SECRET to verify bearer tokens.",
    });
  }
  if (env.AUTH_JWKS_URL && env.AUTH_PUBLIC_KEY) {
    issues.push({
      path: "AUTH_PUBLIC_KEY",
      message: "Set AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both.",
    });
  }
  if (!env.AUTH_JWT_SECRET && env.AUTH_ALGORITHMS?.some(isSymmetricAlgorithm)) {
    issues.push({
      path: "AUTH_ALGORITHMS",
      message: "AUTH_ALGORITHMS lists an HS* algorithm but AUTH_JWT_SECRET is not set.",
    });
  }
  return issues;
}

/** For `serverSchema.superRefine(refineAuthEnv)` after merging `authEnvSchema.shape`. */
export function refineAuthEnv(env: AuthEnv, ctx: z.RefinementCtx): void {
  for (const issue of authEnvIssues(env)) {
    ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  }
}

/** Throws one clear error listing every problem when the env cannot verify tokens. */
export function verifierOptionsFromEnv(env: AuthEnv): VerifierOptions {
  const issues = authEnvIssues(env);
  if (issues.length > 0) {
    throw new Error(issues.map((issue) => issue.message).join("\n"));
  }
  return {
    ...(env.AUTH_JWKS_URL ? { jwksUrl: env.AUTH_JWKS_URL } : {}),
    ...(env.AUTH_PUBLIC_KEY ? { publicKey: env.AUTH_PUBLIC_KEY } : {}),
    ...(env.AUTH_JWT_SECRET ? { secret: env.AUTH_JWT_SECRET } : {}),
    issuer: env.AUTH_ISSUER ?? [],
    audience: env.AUTH_AUDIENCE ?? [],
    algorithms: env.AUTH_ALGORITHMS ?? defaultAlgorithms(Boolean(env.AUTH_JWT_SECRET)),
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_S,
  };
}

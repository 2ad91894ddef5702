import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTPayload,
} from "jose";

export const issuer = "https://issuer.test";
export const audience = "https://api.test";

export interface TestKeyPair {
  alg: string;
  privateKey: CryptoKey;
  publicPem: string;
  publicJwkJson: string;
}

export async function testKeyPair(
  alg: "EdDSA" | "ES256" | "RS256" | "PS256",
): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    alg,
    privateKey,
    publicPem: await exportSPKI(publicKey),
    publicJwkJson: JSON.stringify(await exportJWK(publicKey)),
  };
}

const now = () => Math.floor(Date.now() / 1000);

/** A good token by default; every claim and header field can be overridden or dropped (undefined). */
export async function signToken(
  key: CryptoKey | Uint8Array,
  alg: string,
  claims: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload = {
    sub: "user-1",
    email: "a@example.com",
    name: "Ann",
    iss: issuer,
    aud: audience,
    iat: now(),
    exp: now() + 600,
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key);
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

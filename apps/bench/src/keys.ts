// A fresh Ed25519 key pair per run: the servers trust the public key (PEM in
// AUTH_PUBLIC_KEY), the bench signs one token per user with the private key.
import { exportSPKI, generateKeyPair, SignJWT } from "jose";

export interface SigningKeys {
  readonly publicKeyPem: string;
  sign(userId: string): Promise<string>;
}

const TOKEN_LIFETIME = "6h";

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", {
    crv: "Ed25519",
    extractable: true,
  });
  return {
    publicKeyPem: await exportSPKI(publicKey),
    sign: (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA" })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(TOKEN_LIFETIME)
        .sign(privateKey),
  };
}

import { SignJWT } from "jose";

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** A token with `alg: none` and no signature, as an attacker would send it. */
export function unsignedToken(sub: string): string {
  return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub, iat: now(), exp: now() + 600 })}.`;
}

/** An HS256 token, to send where only public keys are trusted (the algorithm-confusion attack). */
export function hmacToken(sub: string, secret: string, issuer: string, audience: string) {
  return new SignJWT({ sub })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime("5m")
    .setIssuer(issuer)
    .setAudience(audience)
    .sign(new TextEncoder().encode(secret));
}

/** A token whose payload is not JSON, with a header that passes the shape check. */
export function garbledPayloadToken(alg: string): string {
  return `${encode({ alg })}.${Buffer.from("not json").toString("base64url")}.${"A".repeat(86)}`;
}

import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
} from "jose";
import type { VerifierOptions } from "./options.ts";

/** Test helpers for other packages: a real key pair and a real JWKS endpoint, no mocks. */

export type TestIssuerAlgorithm = "EdDSA" | "ES256" | "RS256" | "PS256";

export interface TestIssuerOptions {
  algorithm?: TestIssuerAlgorithm;
  /** `iss` of signed tokens; default the issuer's base URL. */
  issuer?: string;
  /** `aud` of signed tokens; default the issuer's base URL. */
  audience?: string;
}

export interface TestClaims {
  sub: string;
  email?: string;
  name?: string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** Seconds from now, or a jose time span ("15m", "-1h"). Default "15m". */
  expiresIn?: string | number;
  /** Seconds from now, or a time span; default none. */
  notBefore?: string | number;
  /** Override or drop (`null`) the registered claims. */
  issuer?: string | null;
  audience?: string | null;
  /** Override header fields, e.g. a `kid` the JWKS does not hold. */
  header?: Partial<JWTHeaderParameters>;
  /** Sign with the key that was current before the last `rotate()`. */
  withPreviousKey?: boolean;
}

export interface TestIssuer {
  readonly baseUrl: string;
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithm: TestIssuerAlgorithm;
  /** How many JWKS requests were served so far. */
  readonly jwksRequests: number;
  sign(claims: TestClaims, options?: SignOptions): Promise<string>;
  /** Adds a new current key; the previous ones stay published. */
  rotate(): Promise<void>;
  /** Publishes only the current key. */
  removeOldKeys(): void;
  /** Stops listening (clients get ECONNREFUSED) while keeping the port for `restart()`. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const jwksPath = "/api/auth/jwks";

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const algorithm = options.algorithm ?? "EdDSA";
  let keys: SigningKey[] = [await newSigningKey(algorithm)];
  let jwksRequests = 0;
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== jwksPath) {
      response.writeHead(404).end();
      return;
    }
    jwksRequests += 1;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
  });
  const port = await listen(server, 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  const issuer = options.issuer ?? baseUrl;
  const audience = options.audience ?? baseUrl;

  const currentKey = () => keys[keys.length - 1] as SigningKey;
  const previousKey = () => keys[keys.length - 2] ?? currentKey();

  return {
    baseUrl,
    jwksUrl: `${baseUrl}${jwksPath}`,
    issuer,
    audience,
    algorithm,
    get jwksRequests() {
      return jwksRequests;
    },
    async sign(claims, signOptions = {}) {
      const key = signOptions.withPreviousKey ? previousKey() : currentKey();
      return signToken(claims, key, {
        ...signOptions,
        algorithm,
        issuer: signOptions.issuer === undefined ? issuer : signOptions.issuer,
        audience: signOptions.audience === undefined ? audience : signOptions.audience,
      });
    },
    async rotate() {
      keys = [...keys, await newSigningKey(algorithm)];
    },
    removeOldKeys() {
      keys = [currentKey()];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async restart() {
      await listen(server, port);
    },
    async close() {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Options that make `createTokenVerifier` trust this issuer exactly as the server would. */
export function verifierOptionsFor(
  issuer: TestIssuer,
  overrides: Partial<VerifierOptions> = {},
): VerifierOptions {
  return {
    jwksUrl: issuer.jwksUrl,
    issuer: [issuer.issuer],
    audience: [issuer.audience],
    ...overrides,
  };
}

async function newSigningKey(algorithm: TestIssuerAlgorithm): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  const kid = crypto.randomUUID();
  return {
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: "sig" },
  };
}

async function signToken(
  claims: TestClaims,
  key: SigningKey,
  options: SignOptions & { algorithm: string; issuer: string | null; audience: string | null },
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.algorithm, kid: key.kid, ...options.header })
    .setIssuedAt()
    .setExpirationTime(relativeTime(options.expiresIn ?? "15m"));
  if (options.notBefore !== undefined) jwt.setNotBefore(relativeTime(options.notBefore));
  if (options.issuer !== null) jwt.setIssuer(options.issuer);
  if (options.audience !== null) jwt.setAudience(options.audience);
  return jwt.sign(key.privateKey);
}

/** jose reads a number as an absolute timestamp; tests think in "seconds from now". */
function relativeTime(value: string | number): string | number {
  return typeof value === "number" ? Math.floor(Date.now() / 1000) + value : value;
}

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

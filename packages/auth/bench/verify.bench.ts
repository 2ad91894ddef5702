/**
 * Verifications per second on one core (sequential awaits), per algorithm, with the
 * verified-token cache off and on. Run: pnpm --filter @tasks/auth bench
 */
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { createTokenVerifier, type VerifierOptions } from "../src/index.ts";

const durationMs = Number(process.env.BENCH_MS ?? 1500);
const secret = "bench-secret-bench-secret-bench-secret-0123";
const algorithms = ["EdDSA", "ES256", "RS256", "HS256"] as const;

async function setup(
  alg: (typeof algorithms)[number],
): Promise<{ token: string; options: VerifierOptions }> {
  const claims = { sub: "user-1", email: "a@example.com" };
  const signer = new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setIssuedAt()
    .setExpirationTime("15m");
  if (alg === "HS256") {
    return { token: await signer.sign(new TextEncoder().encode(secret)), options: { secret } };
  }
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return {
    token: await signer.sign(privateKey),
    options: { publicKey: await exportSPKI(publicKey) },
  };
}

async function perSecond(verify: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i += 1) await verify();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 100; i += 1) await verify();
    count += 100;
  }
  return Math.round((count * 1000) / (performance.now() - start));
}

process.stdout.write("algorithm  cache off/s  cache on/s\n");
for (const alg of algorithms) {
  const { token, options } = await setup(alg);
  const uncached = await createTokenVerifier({ ...options, verifiedTokenCache: false });
  const cached = await createTokenVerifier(options);
  const cacheOff = await perSecond(() => uncached.verify(token));
  const cacheOn = await perSecond(() => cached.verify(token));
  process.stdout.write(
    `${alg.padEnd(9)}  ${String(cacheOff).padStart(11)}  ${String(cacheOn).padStart(10)}\n`,
  );
}

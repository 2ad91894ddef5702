// What every database test of the configuration checks: a user signs up and gets a trimmed JWT.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { expect } from "vitest";
import {
  createAuth,
  migrateAuthDatabase,
  type AuthConfigOptions,
  type TasksAuth,
} from "../src/index.ts";

export const baseURL = "http://127.0.0.1:8999";
export const secret = "test-secret-test-secret-test-secret-0123";

/** Signs a user up through Better Auth's own request handler and fetches a JWT as a frontend would. */
async function signUpAndGetToken(auth: TasksAuth, email: string) {
  const signUp = await auth.handler(
    new Request(`${baseURL}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL },
      body: JSON.stringify({ email, password: "a-long-password", name: "Test User" }),
    }),
  );
  expect(signUp.status).toBe(200);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const tokenResponse = await auth.handler(
    new Request(`${baseURL}/api/auth/token`, { headers: { cookie } }),
  );
  const { token } = (await tokenResponse.json()) as { token: string };
  const jwks = await (await auth.handler(new Request(`${baseURL}/api/auth/jwks`))).json();
  return { userId: user.id, token, jwks: jwks as { keys: [] } };
}

export async function expectTrimmedToken(options: AuthConfigOptions, email: string, alg: string) {
  const auth = createAuth(options);
  await migrateAuthDatabase(auth);
  const { userId, token, jwks } = await signUpAndGetToken(auth, email);
  expect(decodeProtectedHeader(token).alg).toBe(alg);
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: baseURL,
    audience: baseURL,
  });
  expect(Object.keys(payload).sort()).toEqual(["aud", "email", "exp", "iat", "iss", "name", "sub"]);
  expect(payload).toMatchObject({ sub: userId, email, name: "Test User" });
  expect((payload.exp as number) - (payload.iat as number)).toBe(15 * 60);
}

import type { TasksAuth } from "@tasks/better-auth-config";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import { tokenOf } from "@/auth/server";

/** Signs a user up through the mounted handler, as the browser does, and returns the session cookie. */
export async function signUp(auth: TasksAuth, baseURL: string, email: string): Promise<string> {
  const response = await auth.handler(
    new Request(`${baseURL}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseURL },
      body: JSON.stringify({ email, password: "correct horse battery", name: "Test" }),
    }),
  );
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** The server-side token of a session, verified as the API verifies it (the app's JWKS, iss, aud). */
export async function verifiedServerToken(
  auth: TasksAuth,
  baseURL: string,
  cookie: string,
): Promise<JWTPayload> {
  const token = await tokenOf(new Headers({ cookie }), auth);
  if (!token) throw new Error("no token for the session");
  const jwks = await (await auth.handler(new Request(`${baseURL}/api/auth/jwks`))).json();
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as { keys: [] }), {
    issuer: baseURL,
    audience: baseURL,
  });
  return payload;
}

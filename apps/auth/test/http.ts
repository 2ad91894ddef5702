import { createServer } from "node:net";

/** Signs a user up over HTTP and fetches a JWT with the session cookie, as a frontend does. */
export async function signUpAndGetToken(baseURL: string, email: string) {
  const signUp = await fetch(`${baseURL}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email, password: "correct-horse-battery", name: "Alice" }),
  });
  if (!signUp.ok) throw new Error(`sign-up answered ${signUp.status}`);
  const { user } = (await signUp.json()) as { user: { id: string; email: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const tokenResponse = await fetch(`${baseURL}/api/auth/token`, { headers: { cookie } });
  const { token } = (await tokenResponse.json()) as { token: string };
  return { user, token };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

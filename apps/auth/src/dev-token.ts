/** Gets a JWT for a development user the way a frontend does: a session cookie, then /api/auth/token. */

export class IssuerNotRunningError extends Error {}

export async function fetchDevToken(
  baseURL: string,
  email: string,
  password: string,
): Promise<string> {
  const cookie =
    (await signIn(baseURL, email, password)) ?? (await signUp(baseURL, email, password));
  const response = await call(baseURL, "/api/auth/token", { headers: { cookie } });
  if (!response.ok) throw new Error(`GET /api/auth/token failed: ${await errorText(response)}`);
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== "string")
    throw new Error("The issuer's /api/auth/token answer has no token.");
  return token;
}

/** The session cookie, or undefined when the user does not exist (or has another password). */
async function signIn(
  baseURL: string,
  email: string,
  password: string,
): Promise<string | undefined> {
  const response = await postJson(baseURL, "/api/auth/sign-in/email", { email, password });
  if (response.status === 401) return undefined;
  if (!response.ok) throw new Error(`Sign-in failed: ${await errorText(response)}`);
  return sessionCookie(response);
}

async function signUp(baseURL: string, email: string, password: string): Promise<string> {
  const name = email.split("@")[0] || email;
  const response = await postJson(baseURL, "/api/auth/sign-up/email", { email, password, name });
  if (!response.ok) throw new Error(`Sign-up of ${email} failed: ${await errorText(response)}`);
  return sessionCookie(response);
}

function postJson(baseURL: string, path: string, body: object): Promise<Response> {
  return call(baseURL, path, {
    method: "POST",
    // Better Auth checks the Origin of cookie-setting requests against its trusted origins.
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify(body),
  });
}

async function call(baseURL: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(new URL(path, baseURL), init);
  } catch (cause) {
    throw new IssuerNotRunningError(`No auth issuer answers at ${baseURL}.`, { cause });
  }
}

function sessionCookie(response: Response): string {
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error("The issuer did not set a session cookie.");
  return cookie;
}

async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { message?: unknown };
  return `${response.status} ${typeof body.message === "string" ? body.message : response.statusText}`;
}

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The development issuer and the API server, each run as its own process, as `pnpm start` does. */
export interface Stack {
  apiUrl: string;
  issuerUrl: string;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Starts an app and resolves once `isReady` says so; rejects if the app exits first. */
function start(
  app: string,
  env: Record<string, string>,
  isReady: () => Promise<boolean>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: `${repoRoot}apps/${app}`,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${app} exited with ${code}:\n${output}`)));
    const poll = async () => {
      if (child.exitCode !== null) return;
      if (await isReady()) resolve(child);
      else setTimeout(poll, 200);
    };
    void poll();
  });
}

const answersOk = (url: string) => async () =>
  fetch(url).then(
    (response) => response.ok,
    () => false,
  );

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

export async function startStack(): Promise<Stack> {
  const [issuerPort, apiPort] = [await freePort(), await freePort()];
  const issuerUrl = `http://127.0.0.1:${issuerPort}`;
  const issuer = await start(
    "auth",
    { AUTH_ISSUER_PORT: String(issuerPort), AUTH_PGLITE_DIR: "memory://" },
    answersOk(`${issuerUrl}/api/auth/jwks`),
  );
  const api = await start(
    "server",
    {
      PORT: String(apiPort),
      PGLITE_DIR: "memory://",
      DATABASE_URL: "",
      AUTH_JWKS_URL: `${issuerUrl}/api/auth/jwks`,
      AUTH_ISSUER: issuerUrl,
      AUTH_AUDIENCE: issuerUrl,
      LOG_LEVEL: "warn",
    },
    answersOk(`http://127.0.0.1:${apiPort}/ready`),
  ).catch(async (error: unknown) => {
    await stop(issuer);
    throw error;
  });
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    issuerUrl,
    stop: async () => {
      await Promise.all([stop(api), stop(issuer)]);
    },
  };
}

/** Signs a user up with Better Auth and fetches a JWT the way a frontend does. */
export async function signUpAndGetToken(issuerUrl: string, email: string): Promise<string> {
  const signUp = await fetch(`${issuerUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000" },
    body: JSON.stringify({ email, password: "correct-horse-battery", name: email.split("@")[0] }),
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers
    .getSetCookie()
    .map((entry) => entry.split(";")[0])
    .join("; ");
  const response = await fetch(`${issuerUrl}/api/auth/token`, { headers: { cookie } });
  if (!response.ok) throw new Error(`token failed: ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  return token;
}

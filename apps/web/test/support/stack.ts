import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppProcess, freePort } from "./processes.ts";

const webRoot = fileURLToPath(new URL("../..", import.meta.url));
const serverRoot = path.resolve(webRoot, "../server");

/** How long the web app's JWTs live in the browser suite: short, so they expire during it. */
export const TOKEN_LIFETIME_SECONDS = 6;

/**
 * The product as production runs it: `next start` on the web app's production build
 * (Better Auth inside, on its own PGlite) and `node dist/main.mjs`, the API's bundle,
 * trusting the web app's JWKS. turbo builds both before this suite (`^build`, `build`).
 */
export class Stack {
  private api: AppProcess | undefined;

  private constructor(
    readonly webUrl: string,
    readonly apiUrl: string,
    private readonly web: AppProcess,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<Stack> {
    for (const built of [
      path.join(webRoot, ".next/BUILD_ID"),
      path.join(serverRoot, "dist/main.mjs"),
    ]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run pnpm build first.`);
    }
    const dataDir = await mkdtemp(path.join(tmpdir(), "tasks-web-"));
    const [webPort, apiPort] = [await freePort(), await freePort()];
    const webUrl = `http://127.0.0.1:${webPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const nextBin = path.join(webRoot, "node_modules/next/dist/bin/next");
    const web = AppProcess.spawn(
      "next start",
      [nextBin, "start", "-H", "127.0.0.1", "-p", String(webPort)],
      webRoot,
      {
        NEXT_TELEMETRY_DISABLED: "1",
        BETTER_AUTH_URL: webUrl,
        BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
        AUTH_PGLITE_DIR: path.join(dataDir, "auth-pglite"),
        AUTH_JWT_EXPIRES_IN: `${TOKEN_LIFETIME_SECONDS}s`,
        API_URL: apiUrl,
      },
    );
    const stack = new Stack(webUrl, apiUrl, web, dataDir);
    await web.answers(`${webUrl}/api/auth/jwks`);
    await stack.startApi();
    return stack;
  }

  /** Starts (or restarts) the API on the same port and database; does nothing while it runs. */
  async startApi(): Promise<void> {
    if (this.api?.running) return;
    const port = new URL(this.apiUrl).port;
    this.api = AppProcess.spawn("dist/main.mjs", ["dist/main.mjs"], serverRoot, {
      PORT: port,
      PGLITE_DIR: path.join(this.dataDir, "api-pglite"),
      AUTH_JWKS_URL: `${this.webUrl}/api/auth/jwks`,
      AUTH_ISSUER: this.webUrl,
      AUTH_AUDIENCE: this.webUrl,
      // Expired means expired: no leeway, so the suite sees tokens run out.
      AUTH_CLOCK_TOLERANCE_S: "0",
      CORS_ORIGINS: this.webUrl,
      RATE_LIMIT_MAX: "100000",
      LOG_LEVEL: "warn",
    });
    await this.api.answers(`${this.apiUrl}/health`);
  }

  async stopApi(): Promise<void> {
    await this.api?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all([this.api?.stop(), this.web.stop()]);
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

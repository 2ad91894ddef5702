import { once } from "node:events";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import {
  createAuth,
  migrateAuthDatabase,
  type AuthJwtAlgorithm,
  type TasksAuth,
} from "@tasks/better-auth-config";
import { toNodeHandler } from "better-auth/node";

export interface StartIssuerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Default `http://<host>:<port>`; the tokens' `iss` and `aud`. */
  baseURL?: string;
  secret: string;
  /** A folder or `memory://`. */
  pgliteDir: string;
  jwtAlgorithm?: AuthJwtAlgorithm;
  trustedOrigins?: string[];
}

export interface RunningIssuer {
  baseURL: string;
  jwksUrl: string;
  port: number;
  auth: TasksAuth;
  close(): Promise<void>;
}

/** Better Auth on embedded PGlite behind a plain node:http server. */
export async function startIssuer(options: StartIssuerOptions): Promise<RunningIssuer> {
  const host = options.host ?? "127.0.0.1";
  const pglite = await PGlite.create(options.pgliteDir);
  // The server listens first so that port 0 can name the base URL; until Better Auth is ready it answers 503.
  let handle: RequestListener = (_request, response) => {
    response.writeHead(503, { "retry-after": "1" }).end();
  };
  const server = createServer((request, response) => handle(request, response));
  server.listen(options.port, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const baseURL = options.baseURL ?? `http://${host}:${port}`;
  const closeAll = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pglite.close();
  };
  const auth = createAuth({
    baseURL,
    secret: options.secret,
    database: pglite,
    ...(options.jwtAlgorithm ? { jwtAlgorithm: options.jwtAlgorithm } : {}),
    ...(options.trustedOrigins ? { trustedOrigins: options.trustedOrigins } : {}),
  });
  await migrateAuthDatabase(auth).catch(async (error: unknown) => {
    await closeAll();
    throw error;
  });
  const betterAuthHandler = toNodeHandler(auth);
  handle = (request, response) => void betterAuthHandler(request, response);

  return {
    baseURL,
    jwksUrl: `${baseURL}/api/auth/jwks`,
    port,
    auth,
    close: closeAll,
  };
}

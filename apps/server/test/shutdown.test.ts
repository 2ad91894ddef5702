import { request as httpRequest } from "node:http";
import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, MainProcess } from "./support/main-process.ts";

const SLOW_REQUEST_ID = "slow-upload";

interface SlowReply {
  status: number;
  body: string;
}

/**
 * A legal create request whose body arrives in pieces over `durationMs`, as from a
 * slow client: the request is in flight for that long.
 */
function slowCreate(url: string, token: string, durationMs: number): Promise<SlowReply> {
  const body = Buffer.from(JSON.stringify({ title: "sent slowly", description: "x".repeat(400) }));
  const pieces = 8;
  const size = Math.ceil(body.length / pieces);
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/api/v1/tasks`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": String(body.length),
        "x-request-id": SLOW_REQUEST_ID,
      },
    });
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
    let index = 0;
    const timer = setInterval(() => {
      request.write(body.subarray(index * size, (index + 1) * size));
      index += 1;
      if (index === pieces) {
        clearInterval(timer);
        request.end();
      }
    }, durationMs / pieces);
  });
}

/** The server starts an embedded database and migrates it: slow on a busy machine. */
const PROCESS_TEST_TIMEOUT_MS = 120_000;

describe("graceful shutdown of the production bundle", () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  it(
    "on SIGTERM stops accepting, finishes the request in flight, and exits 0",
    async () => {
      const main = MainProcess.spawn({
        PORT: String(await freePort()),
        PGLITE_DIR: "memory://",
        AUTH_JWKS_URL: issuer.jwksUrl,
        AUTH_ISSUER: issuer.issuer,
        AUTH_AUDIENCE: issuer.audience,
      });
      try {
        const url = await main.listening(PROCESS_TEST_TIMEOUT_MS);
        expect(main.logLines.some((line) => String(line.msg).includes(`${url}/docs`))).toBe(true);
        const token = await issuer.sign({ sub: "user_shutdown" });

        const inFlight = slowCreate(url, token, 3_000);
        // SIGTERM once the server has the request (a connection whose request has not
        // arrived yet is idle, and closing idle connections is what shutdown does).
        await main.logged((line) => line.reqId === SLOW_REQUEST_ID);
        main.kill("SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 300));

        const late = await fetch(`${url}/health`).then(
          (response) => response.status,
          () => "refused",
        );
        expect(late).not.toBe(200);

        const reply = await inFlight;
        expect(reply.status).toBe(201);
        expect(JSON.parse(reply.body)).toMatchObject({ title: "sent slowly" });
        expect(await main.exited).toBe(0);
        expect(main.logLines.map((line) => line.msg)).toEqual(
          expect.arrayContaining(["shutting down", "stopped"]),
        );
      } finally {
        if (main.child.exitCode === null) main.kill("SIGKILL");
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    "exits 0 on SIGINT when idle",
    async () => {
      const main = MainProcess.spawn({
        PORT: String(await freePort()),
        PGLITE_DIR: "memory://",
        AUTH_JWT_SECRET: "a-development-secret-of-32-chars!",
      });
      try {
        await main.listening(PROCESS_TEST_TIMEOUT_MS);
        main.kill("SIGINT");
        expect(await main.exited).toBe(0);
      } finally {
        if (main.child.exitCode === null) main.kill("SIGKILL");
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

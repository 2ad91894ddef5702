import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverEnvSchema } from "../src/config.ts";
import { clientErrorHandler } from "../src/plugins/edge-errors.ts";
import { newUserId, TestServer } from "./support/server.ts";

const [driver = "pglite"] = testDrivers();

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Parses one HTTP/1.1 response with a Content-Length, as read off a socket. */
function parseResponse(text: string): RawResponse {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(body) as unknown };
}

/** Sends bytes as they are (no client library would send these) and reads until the server closes. */
async function sendRaw(url: string, bytes: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  socket.write(bytes);
  await once(socket, "close");
  return parseResponse(text);
}

function expectEdgeProblem(
  response: RawResponse | { status: number; headers: Record<string, string>; body: unknown },
  status: number,
) {
  expect(response.status).toBe(status);
  expect(Object.keys(response.body as object)).toEqual(["detail"]);
  expect(response.headers["x-request-id"]).toMatch(/^[\w-]{8,}$/);
  expect(response.headers["x-content-type-options"]).toBe("nosniff");
  expect(response.headers["content-security-policy"]).toContain("default-src");
  return (response.body as { detail: string }).detail;
}

describe("errors met before any hook runs", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
  });
  afterAll(() => server.close());

  async function fetched(path: string, headers: Record<string, string> = {}) {
    const reply = await server.request("GET", path, { headers });
    return { status: reply.status, headers: Object.fromEntries(reply.headers), body: reply.body };
  }

  it("400 for a URL that is not valid percent-encoding, without echoing it", async () => {
    for (const path of ["/%ZZ", "/api/v1/tasks/%E0%A4%A", "/trpc/%ZZ"]) {
      const detail = expectEdgeProblem(await fetched(path), 400);
      expect(detail).toBe("The request is malformed: the URL is not valid percent-encoding.");
    }
  });

  it("lets a page from an allowed origin read those answers, and no other", async () => {
    // The test server runs with the default CORS_ORIGINS.
    const [allowed] = serverEnvSchema.parse({}).CORS_ORIGINS;
    if (allowed === undefined) throw new Error("no origin is allowed by default");
    const fromPage = await fetched("/api/v1/tasks/%E0%A4%A", { origin: allowed });
    expectEdgeProblem(fromPage, 400);
    expect(fromPage.headers["access-control-allow-origin"]).toBe(allowed);
    expect(fromPage.headers["access-control-expose-headers"]).toContain("x-request-id");
    expect(fromPage.headers.vary).toBe("Origin");
    const fromElsewhere = await fetched("/%ZZ", { origin: "https://evil.example" });
    expectEdgeProblem(fromElsewhere, 400);
    expect(fromElsewhere.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("414 for a path parameter over the length limit", async () => {
    const token = await server.tokenFor(newUserId());
    const reply = await server.request("GET", `/api/v1/tasks/${"a".repeat(6000)}`, { token });
    const detail = expectEdgeProblem(
      { status: reply.status, headers: Object.fromEntries(reply.headers), body: reply.body },
      414,
    );
    expect(detail).toBe("The URL is too long.");
  });

  it("431 for headers over Node's limit, and 400 for bytes that are not HTTP", async () => {
    const huge = `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`;
    expect(expectEdgeProblem(await sendRaw(server.url, huge), 431)).toBe(
      "The request's headers are too large.",
    );
    const garbage = "HELLO THERE\r\n\r\n";
    expect(expectEdgeProblem(await sendRaw(server.url, garbage), 400)).toBe(
      "The request is malformed: it is not valid HTTP/1.1.",
    );
  });

  it("408 when a request does not arrive in time (Node's timeout error on a real socket)", async () => {
    const listener = createServer();
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    const accepted = once(listener, "connection") as Promise<[Socket]>;
    const address = listener.address();
    if (!address || typeof address === "string") throw new Error("no port");
    const client = connect(address.port, "127.0.0.1");
    let text = "";
    client.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    const [serverSide] = await accepted;
    // The handler destroys the socket with the error, as Node's HTTP server expects.
    const destroyed = once(serverSide, "error");
    const timeout = Object.assign(new Error("request timeout"), {
      code: "ERR_HTTP_REQUEST_TIMEOUT",
    });
    clientErrorHandler(timeout, serverSide);
    await once(client, "close");
    expect((await destroyed)[0]).toBe(timeout);
    listener.close();
    expect(expectEdgeProblem(parseResponse(text), 408)).toBe(
      "The request was not received in time.",
    );
  });
});

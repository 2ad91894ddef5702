// Every header value the docs state (`Name: value` in backticks, in README.md and
// docs/*.md) is the value the running server sends where that header applies.
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { startTestIssuer } from "@tasks/auth/testing";
import { createDatabase, databaseConfigFromEnv, databaseEnvSchema, type Database } from "@tasks/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/main-process.ts";
import { newUserId, TestServer } from "./support/server.ts";

const repo = new URL("../../../", import.meta.url);
const documents = [
  "README.md",
  ...readdirSync(new URL("docs/", repo))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

interface Documented {
  where: string;
  name: string;
  value: string;
}

/** `Retry-After: 5`, `WWW-Authenticate: Bearer`, …: backticked, the name in header case. */
function documentedHeaders(): Documented[] {
  return documents.flatMap((document) =>
    readFileSync(new URL(document, repo), "utf8")
      .split("\n")
      .flatMap((line, index) =>
        [...line.matchAll(/`((?:[A-Z][A-Za-z]*-)*[A-Z][A-Za-z]*): ([^`]+)`/g)].map((match) => ({
          where: `${document}:${index + 1}`,
          name: (match[1] as string).toLowerCase(),
          value: match[2] as string,
        })),
      ),
  );
}

/** What clients send, not the server: the docs tell them how. */
const REQUEST_HEADERS = new Set([
  "authorization",
  "content-type",
  "if-match",
  "if-none-match",
  "idempotency-key",
]);

interface Answer {
  label: string;
  headers: Headers;
}

/**
 * The answers each response header applies to; `{id}` in a value stands for the
 * created task's id, `<version>` for its version (1: it was just created).
 */
type Situations = Record<string, () => Answer[]>;

function expectDocumentedValue(documented: Documented, answers: Answer[], id: string): void {
  const expected = documented.value.replaceAll("{id}", id).replaceAll("<version>", "1");
  for (const { label, headers } of answers) {
    const sent = headers.get(documented.name);
    const message = `${documented.where} says ${documented.name}: ${documented.value}; ${label} sent ${sent}`;
    // "…" marks a value the docs abbreviate.
    if (expected.endsWith("…")) expect(sent?.startsWith(expected.slice(0, -1)), message).toBe(true);
    else expect(sent, message).toBe(expected);
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 500) throw new Error(`still waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Sends a request on a connection that is busy with a create whose body is still on
 * its way when the server starts shutting down: the server's draining answer.
 */
async function answerWhileDraining(server: TestServer, token: string): Promise<Answer> {
  const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
  const body = JSON.stringify({ title: "in flight during shutdown" });
  const auth = `Authorization: Bearer ${token}\r\n`;
  const head = `POST /api/v1/tasks HTTP/1.1\r\nHost: tasks\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  // Node's server emits "request" once the head is parsed: the create is then in flight.
  const arrived = once(server.app.server, "request");
  socket.write(head);
  await arrived;
  const closing = server.close();
  // The listener closes after the preClose hooks, so from here on the server is draining.
  await until(() => !server.app.server.listening);
  socket.write(`${body}GET /api/v1/tasks HTTP/1.1\r\nHost: tasks\r\n${auth}\r\n`);
  await Promise.all([once(socket, "close"), closing]);
  const [first, second] = received.split(/(?=HTTP\/1\.1 \d{3} )/);
  expect(first).toMatch(/^HTTP\/1\.1 201 /);
  expect(second).toMatch(/^HTTP\/1\.1 503 /);
  const headerLines = (second as string).split("\r\n\r\n")[0]?.split("\r\n").slice(1) ?? [];
  const headers = new Headers(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(":")),
      line.slice(line.indexOf(":") + 1).trim(),
    ]),
  );
  return { label: "503 while shutting down", headers };
}

describe("header values in the docs", () => {
  const answers: Record<string, Answer> = {};
  let createdId = "";
  let unreachable: Database;

  beforeAll(async () => {
    const server = await TestServer.start("pglite");
    const token = await server.tokenFor(newUserId());
    const created = await server.request("POST", "/api/v1/tasks", { token, body: { title: "a" } });
    createdId = (created.body as { id: string }).id;
    answers.created = { label: "201 create", headers: created.headers };
    const one = await server.request("GET", `/api/v1/tasks/${createdId}`, { token });
    answers.one = { label: "200 one task", headers: one.headers };
    const keyed = { token, body: { title: "b" }, headers: { "idempotency-key": "docs-replay" } };
    await server.request("POST", "/api/v1/tasks", keyed);
    const replayed = await server.request("POST", "/api/v1/tasks", keyed);
    answers.replayed = { label: "201 replayed create", headers: replayed.headers };
    const noToken = await server.request("GET", "/api/v1/tasks");
    answers.noToken = { label: "401 without a token", headers: noToken.headers };
    const badToken = await server.request("GET", "/api/v1/tasks", { token: `${token}x` });
    answers.badToken = { label: "401 with a bad token", headers: badToken.headers };
    answers.draining = await answerWhileDraining(server, token);

    const issuer = await startTestIssuer();
    const issuerDown = await TestServer.start("pglite", { issuer });
    const issuerToken = await issuer.sign({ sub: newUserId() });
    await issuer.stop();
    const noKeys = await issuerDown.request("GET", "/api/v1/tasks", { token: issuerToken });
    answers.issuerDown = { label: "503 issuer unavailable", headers: noKeys.headers };
    await issuerDown.close();
    await issuer.close();

    const env = databaseEnvSchema.parse({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/tasks`,
    });
    unreachable = await createDatabase(databaseConfigFromEnv(env));
    const databaseDown = await TestServer.start("pg", { db: unreachable });
    const dbToken = await databaseDown.tokenFor(newUserId());
    const rest = await databaseDown.request("GET", "/api/v1/tasks", { token: dbToken });
    answers.databaseDown = { label: "503 database unavailable", headers: rest.headers };
    const trpc = await databaseDown.request("GET", "/trpc/tasks.list?input=%7B%7D", {
      token: dbToken,
    });
    answers.databaseDownTrpc = { label: "503 database unavailable (tRPC)", headers: trpc.headers };
    const ready = await databaseDown.request("GET", "/ready");
    answers.notReady = { label: "503 /ready", headers: ready.headers };
    await databaseDown.close();
  }, 120_000);
  afterAll(() => unreachable?.close());

  const pick =
    (...names: string[]) =>
    () =>
      names.map((name) => answers[name] as Answer);
  const situations: Situations = {
    "retry-after": pick("databaseDown", "databaseDownTrpc", "notReady", "issuerDown", "draining"),
    "www-authenticate": pick("noToken"),
    location: pick("created"),
    etag: pick("created", "one"),
    "cache-control": pick("one"),
    "idempotent-replayed": pick("replayed"),
    vary: pick("created", "noToken"),
    connection: pick("draining"),
    "x-content-type-options": pick("created", "noToken", "databaseDown"),
    "referrer-policy": pick("created", "noToken", "databaseDown"),
    "content-security-policy": pick("created", "noToken", "databaseDown"),
  };
  const documented = documentedHeaders().filter(({ name }) => !REQUEST_HEADERS.has(name));

  it("finds the values the docs state, and knows where each header applies", () => {
    const names = new Set(documented.map(({ name }) => name));
    for (const name of ["retry-after", "www-authenticate", "location", "connection"]) {
      expect(names, `no document states a ${name} value`).toContain(name);
    }
    for (const name of names)
      expect(Object.keys(situations), `a check for ${name}`).toContain(name);
  });

  it.each(documented.map((entry) => [`${entry.where} ${entry.name}: ${entry.value}`, entry]))(
    "%s",
    (_label, entry) => {
      expectDocumentedValue(entry, situations[entry.name]?.() ?? [], createdId);
    },
  );

  it("every 401 begins with the documented challenge, whatever was wrong with the token", () => {
    const challenge = documented.find(({ name }) => name === "www-authenticate");
    expect(answers.badToken?.headers.get("www-authenticate")).toMatch(
      new RegExp(`^${challenge?.value} `),
    );
  });
});

import { randomUUID } from "node:crypto";
import { appRouter, createContext, type AppRouter } from "@tasks/api";
import { testDrivers } from "@tasks/db/testing";
import { createTRPCClient, httpBatchStreamLink } from "@trpc/client";
import { resolveResponse } from "@trpc/server/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

/**
 * The server answers plain JSON calls itself (src/trpc) and hands the rest to
 * tRPC's own handler. Each case here goes over HTTP to the server and, with the
 * same token and database, through tRPC's reference `resolveResponse`: status,
 * body and the headers a client reads must be the same.
 */
interface Case {
  name: string;
  method: "GET" | "POST";
  /** Path and query after `/trpc/`. */
  target: string;
  body?: string;
  token?: "owner" | "stranger" | "none" | "garbage";
  headers?: Record<string, string>;
}

/** The media type, without parameters: Fastify adds `charset=utf-8` to the JSON it sends. */
function mediaType(headers: Headers): string | undefined {
  return headers.get("content-type")?.split(";")[0];
}

function varyOf(headers: Headers): Set<string> {
  return new Set((headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase()));
}

function query(input: unknown): string {
  return `input=${encodeURIComponent(JSON.stringify(input))}`;
}

/** The body's JSON values (one, or one per line when streamed), minus what varies per call. */
function masked(text: string): unknown[] {
  // Created tasks get new ids and timestamps on every call.
  const reviver = (key: string, value: unknown) =>
    key === "id" || key === "createdAt" || key === "updatedAt" ? "<varies>" : value;
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line, reviver) as unknown);
}

/** Both settings of TRPC_FAST_PATH: the fast path, and every call through tRPC's handler. */
const setups = testDrivers().flatMap((driver) =>
  ["true", "false"].map((fastPath) => ({ driver, fastPath })),
);

describe.each(setups)(
  "the tRPC endpoint answers as tRPC's own handler ($driver, TRPC_FAST_PATH=$fastPath)",
  ({ driver, fastPath }) => {
    let server: TestServer;
    let tokens: Record<NonNullable<Case["token"]>, string | undefined>;
    let ownTask: string;
    let strangersTask: string;

    beforeAll(async () => {
      server = await TestServer.start(driver, { env: { TRPC_FAST_PATH: fastPath } });
      tokens = {
        owner: await server.tokenFor(newUserId()),
        stranger: await server.tokenFor(newUserId()),
        none: undefined,
        garbage: "not-a-jwt",
      };
      const create = async (token: string | undefined, title: string) => {
        const reply = await server.request("POST", "/trpc/tasks.create", {
          token,
          body: { title },
        });
        return (reply.body as { result: { data: { id: string } } }).result.data.id;
      };
      ownTask = await create(tokens.owner, "mine");
      strangersTask = await create(tokens.stranger, "theirs");
    });
    afterAll(() => server.close());

    function cases(): Case[] {
      const missing = randomUUID();
      return [
        { name: "a query", method: "GET", target: `tasks.get?${query({ id: ownTask })}` },
        { name: "a list", method: "GET", target: `tasks.list?${query({ limit: 5 })}` },
        { name: "invalid input", method: "GET", target: `tasks.get?${query({ id: "nope" })}` },
        { name: "no input", method: "GET", target: "tasks.get" },
        {
          name: "another user's task",
          method: "GET",
          target: `tasks.get?${query({ id: strangersTask })}`,
        },
        { name: "an unknown task", method: "GET", target: `tasks.get?${query({ id: missing })}` },
        { name: "no token", method: "GET", target: `tasks.list?${query({})}`, token: "none" },
        { name: "a bad token", method: "GET", target: `tasks.list?${query({})}`, token: "garbage" },
        {
          name: "a batch",
          method: "GET",
          target: `tasks.get,tasks.list?batch=1&${query({ 0: { id: ownTask }, 1: { limit: 1 } })}`,
        },
        {
          name: "a mixed batch (207)",
          method: "GET",
          target: `tasks.get,tasks.get?batch=1&${query({ 0: { id: ownTask }, 1: { id: missing } })}`,
        },
        { name: "a mutation", method: "POST", target: "tasks.create", body: '{"title":" x "}' },
        {
          name: "an invalid mutation",
          method: "POST",
          target: "tasks.create",
          body: '{"title":""}',
        },
        {
          name: "a batch of mutations",
          method: "POST",
          target: "tasks.create,tasks.toggle?batch=1",
          body: JSON.stringify({ 0: { title: "batched" }, 1: { id: missing } }),
        },
        { name: "a query sent as POST", method: "POST", target: "tasks.get", body: "{}" },
        {
          name: "a mutation sent as GET",
          method: "GET",
          target: `tasks.create?${query({ title: "x" })}`,
        },
        { name: "an unknown procedure", method: "GET", target: "tasks.nothing" },
        { name: "input that is not JSON", method: "GET", target: "tasks.get?input=%7Bnope" },
        { name: "a body that is not JSON", method: "POST", target: "tasks.create", body: "{nope" },
        {
          name: "a batch input that is a list",
          method: "GET",
          target: `tasks.get?batch=1&${query([1])}`,
        },
        {
          name: "a streamed batch",
          method: "GET",
          target: `tasks.get?batch=1&${query({ 0: { id: ownTask } })}`,
          headers: { "trpc-accept": "application/jsonl" },
        },
      ];
    }

    function headersOf(testCase: Case): Record<string, string> {
      const token = tokens[testCase.token ?? "owner"];
      return {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(testCase.body !== undefined && { "content-type": "application/json" }),
        ...testCase.headers,
      };
    }

    async function reference(testCase: Case) {
      const url = new URL(`${server.url}/trpc/${testCase.target}`);
      const headers = headersOf(testCase);
      const response = await resolveResponse<AppRouter>({
        router: appRouter,
        req: new Request(url, { method: testCase.method, headers, body: testCase.body }),
        path: url.pathname.slice("/trpc/".length),
        error: null,
        allowBatching: true,
        createContext: async () =>
          createContext({
            db: server.db,
            auth: await server.verifier.authenticate(headers.authorization),
            requestId: "reference",
            logger: server.app.log,
            live: server.live,
          }),
        responseMeta: () => ({}),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    }

    it.each(cases().map((testCase) => [testCase.name, testCase] as const))(
      "%s",
      async (_name, testCase) => {
        const expected = await reference(testCase);
        const actual = await server.request(testCase.method, `/trpc/${testCase.target}`, {
          headers: headersOf(testCase),
          rawBody: testCase.body,
        });
        expect(actual.status).toBe(expected.status);
        expect(masked(actual.text)).toEqual(masked(expected.text));
        expect(mediaType(actual.headers)).toBe(mediaType(expected.headers));
        // The server adds Origin: its responses carry a per-origin CORS grant.
        expect(varyOf(actual.headers)).toEqual(varyOf(expected.headers).add("origin"));
      },
    );

    it("adds WWW-Authenticate to UNAUTHORIZED answers, which tRPC alone does not", async () => {
      const reply = await server.request("GET", `/trpc/tasks.list?${query({})}`);
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toBe("Bearer");
    });

    it("serves httpBatchStreamLink through tRPC's own handler", async () => {
      const client = createTRPCClient<AppRouter>({
        links: [
          httpBatchStreamLink({
            url: `${server.url}/trpc`,
            headers: { authorization: `Bearer ${tokens.owner}` },
          }),
        ],
      });
      const [task, page] = await Promise.all([
        client.tasks.get.query({ id: ownTask }),
        client.tasks.list.query({ limit: 1 }),
      ]);
      expect(task.title).toBe("mine");
      expect(page.items).toHaveLength(1);
    });
  },
);

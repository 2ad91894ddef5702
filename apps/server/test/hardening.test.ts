import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer, type Reply } from "./support/server.ts";

/**
 * What outside testers broke (issue 13), each finding on both surfaces: text the
 * database cannot store exactly, hostile `sub`s, oversized characters, cursors the
 * server mints or a client edits.
 */
const NUL = "a\u0000b";
const LONE_SURROGATES = ["\ud800", "x\udfff", "\udc00\ud800"];
const UNSTORABLE = [NUL, ...LONE_SURROGATES];
const ONE_CHARACTER_60_KB = `a${"\u0301".repeat(30_000)}`;
const CJK_TITLE = "漢字かな交じり文".repeat(20).slice(0, 150);
const FOUR_CODE_POINT_CHARACTER = "🏳️‍🌈";

function trpcInput(input: unknown): string {
  // JSON.stringify escapes lone surrogates, so the query string stays ASCII.
  return `input=${encodeURIComponent(JSON.stringify(input))}`;
}

interface TrpcError {
  error: { message: string; data: { code: string; httpStatus: number } };
}

function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status);
}

describe.each(testDrivers())("hardening (%s)", (driver) => {
  let server: TestServer;
  let token: string;
  let taskId: string;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    token = await server.tokenFor(newUserId());
    const created = await server.request("POST", "/api/v1/tasks", {
      token,
      body: { title: "kept" },
    });
    taskId = (created.body as { id: string }).id;
  });
  afterAll(() => server.close());

  const rest = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token, body });
  const trpcQuery = (path: string, input: unknown, as = token) =>
    server.request("GET", `/trpc/${path}?${trpcInput(input)}`, { token: as });
  const trpcMutation = (path: string, input: unknown) =>
    server.request("POST", `/trpc/${path}`, { token, body: input });

  function expectUnprocessable(reply: Reply, surface: "rest" | "trpc"): void {
    expectStatus(reply, 422);
    const message =
      surface === "rest"
        ? (reply.body as { detail: string }).detail
        : (reply.body as TrpcError).error.message;
    expect(message).toMatch(/well-formed Unicode without U\+0000|at most \d+ characters/);
  }

  it("refuses U+0000 and unpaired surrogates in every text, on both surfaces, storing nothing", async () => {
    for (const text of UNSTORABLE) {
      const cases: [Promise<Reply>, "rest" | "trpc"][] = [
        [rest("POST", "/api/v1/tasks", { title: text }), "rest"],
        [rest("POST", "/api/v1/tasks", { title: "t", description: text }), "rest"],
        [rest("PUT", `/api/v1/tasks/${taskId}`, { title: text }), "rest"],
        [rest("PATCH", `/api/v1/tasks/${taskId}`, { description: text }), "rest"],
        [trpcMutation("tasks.create", { title: text }), "trpc"],
        [trpcMutation("tasks.update", { id: taskId, description: text }), "trpc"],
        [trpcQuery("tasks.list", { q: text }), "trpc"],
      ];
      for (const [reply, surface] of cases) expectUnprocessable(await reply, surface);
    }
    // The embedded database's decoder drops a leading U+FEFF: an untrimmed text refuses it.
    const bom = "\ufeffdescription";
    expectUnprocessable(
      await rest("POST", "/api/v1/tasks", { title: "t", description: bom }),
      "rest",
    );
    expectUnprocessable(
      await trpcMutation("tasks.create", { title: "t", description: bom }),
      "trpc",
    );
    // A query string cannot carry a lone surrogate (percent-encoding is UTF-8); U+0000 it can.
    expectUnprocessable(await rest("GET", `/api/v1/tasks?q=${encodeURIComponent(NUL)}`), "rest");
    const page = await rest("GET", "/api/v1/tasks?limit=100");
    expect((page.body as { items: { title: string }[] }).items.map((task) => task.title)).toEqual([
      "kept",
    ]);
    expect(server.logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it("treats a sub that is not well-formed text as an invalid token (401), on both surfaces", async () => {
    for (const sub of ["x\ud800", "x\udfff", "x\u0000", "s".repeat(256)]) {
      const hostile = await server.issuer.sign({ sub });
      const viaRest = await server.request("GET", "/api/v1/tasks", { token: hostile });
      expectStatus(viaRest, 401);
      expect(viaRest.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      expectStatus(await trpcQuery("tasks.list", {}, hostile), 401);
    }
  });

  it("marks a user's data private: no-store, and private, no-cache on a single task", async () => {
    const answers: [Promise<Reply>, string][] = [
      [rest("GET", "/api/v1/tasks"), "no-store"],
      [rest("POST", "/api/v1/tasks", { title: "cache" }), "no-store"],
      [rest("GET", `/api/v1/tasks/${taskId}`), "private, no-cache"],
      [rest("PATCH", `/api/v1/tasks/${taskId}`, { title: "kept" }), "no-store"],
      [rest("GET", "/api/v1/tasks/not-a-uuid"), "no-store"],
      [server.request("GET", "/api/v1/tasks"), "no-store"],
    ];
    for (const [reply, cacheControl] of answers) {
      expect((await reply).headers.get("cache-control")).toBe(cacheControl);
    }
    const created = await rest("GET", "/api/v1/tasks?q=cache");
    for (const task of (created.body as { items: { id: string }[] }).items) {
      await rest("DELETE", `/api/v1/tasks/${task.id}`);
    }
  });

  it("caps a title at 800 code points however few characters it has", async () => {
    for (const title of [ONE_CHARACTER_60_KB, FOUR_CODE_POINT_CHARACTER.repeat(201)]) {
      expectUnprocessable(await rest("POST", "/api/v1/tasks", { title }), "rest");
      expectUnprocessable(await trpcMutation("tasks.create", { title }), "trpc");
    }
    const longest = await rest("POST", "/api/v1/tasks", {
      title: FOUR_CODE_POINT_CHARACTER.repeat(200),
    });
    expectStatus(longest, 201);
    await rest("DELETE", `/api/v1/tasks/${(longest.body as { id: string }).id}`);
  });
});

describe.each(testDrivers())("cursors (%s)", (driver) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    token = await server.tokenFor(newUserId());
    // The longest titles of every kind: CJK, four code points per character, escapes.
    const titles = [
      CJK_TITLE,
      `${CJK_TITLE}2`,
      FOUR_CODE_POINT_CHARACTER.repeat(200),
      '\u0001\u001f"\\'.repeat(50),
      "z".repeat(200),
    ];
    for (const title of titles) {
      const reply = await server.request("POST", "/api/v1/tasks", { token, body: { title } });
      expectStatus(reply, 201);
    }
  });
  afterAll(() => server.close());

  it("accepts back every cursor it mints, for every sort and order, over REST and tRPC", async () => {
    for (const sort of ["title", "createdAt", "updatedAt"]) {
      for (const order of ["asc", "desc"]) {
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query = `sort=${sort}&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
          const reply = await server.request("GET", `/api/v1/tasks?${query}`, { token });
          expectStatus(reply, 200);
          const viaTrpc = await server.request(
            "GET",
            `/trpc/tasks.list?${trpcInput({ sort, order, limit: 1, ...(cursor && { cursor }) })}`,
            { token },
          );
          expectStatus(viaTrpc, 200);
          cursor = (reply.body as { nextCursor: string | null }).nextCursor;
          pages += 1;
        } while (cursor);
        expect(pages).toBe(5);
      }
    }
  });

  it("answers 422, never 500, for a cursor edited by hand", async () => {
    const id = "0190a000-0000-7000-8000-000000000000";
    const edited = (payload: object) => Buffer.from(JSON.stringify(payload)).toString("base64url");
    const timestamps = [
      "1",
      "March 7",
      "2024-02-30T00:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "+010000-01-01T00:00:00.000Z",
      "2024-01-01",
      "2024-01-01T00:00:00Z",
    ];
    const cursors = [
      ...timestamps.map((v) => edited({ s: "createdAt", o: "desc", v, i: id })),
      edited({ s: "title", o: "desc", v: "a\u0000b", i: id }),
      edited({ s: "title", o: "desc", v: "\ud800", i: id }),
      edited({ s: "title", o: "desc", v: "a", i: "not-a-uuid" }),
      edited({ s: "updatedAt", o: "desc", v: "2024-01-01T00:00:00.000Z", i: id }),
      "%%%",
      "x".repeat(10_000),
    ];
    for (const cursor of cursors) {
      const reply = await server.request(
        "GET",
        `/api/v1/tasks?cursor=${encodeURIComponent(cursor)}`,
        { token },
      );
      expectStatus(reply, 422);
      expect((reply.body as { errors: { path: string }[] }).errors).toEqual([
        { path: "cursor", message: "The cursor is invalid; start again from the first page." },
      ]);
      const viaTrpc = await server.request("GET", `/trpc/tasks.list?${trpcInput({ cursor })}`, {
        token,
      });
      expectStatus(viaTrpc, 422);
      expect((viaTrpc.body as TrpcError).error.data.code).toBe("UNPROCESSABLE_CONTENT");
    }
  });
});

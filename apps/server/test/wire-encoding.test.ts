import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

/** Bytes that are not UTF-8: an encoded lone surrogate, an overlong NUL, a stray byte, a cut sequence. */
const NOT_UTF8 = [[0xed, 0xa0, 0x80], [0xc0, 0x80], [0xff], [0xe4, 0xb8]];
const percent = (bytes: number[]) =>
  bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");

describe.each(testDrivers())("bytes that are not UTF-8 on the wire (%s)", (driver) => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    token = await server.tokenFor(newUserId());
  });
  afterAll(() => server.close());

  async function post(path: string, body: Buffer) {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function get(path: string) {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("refuses a JSON body that is not UTF-8 with a 400 on both surfaces instead of storing U+FFFD", async () => {
    for (const bytes of NOT_UTF8) {
      const body = Buffer.concat([
        Buffer.from('{"title":"a'),
        Buffer.from(bytes),
        Buffer.from('"}'),
      ]);
      const rest = await post("/api/v1/tasks", body);
      expect(rest).toEqual({
        status: 400,
        body: { detail: "The request body is not valid JSON." },
      });
      const trpc = await post("/trpc/tasks.create", body);
      expect(trpc.status).toBe(400);
      expect(trpc.body).toMatchObject({
        error: { message: "The request body is not valid JSON.", data: { code: "BAD_REQUEST" } },
      });
    }
    expect((await get("/api/v1/tasks")).body).toEqual({ items: [], nextCursor: null });
    // Well-formed UTF-8 beyond ASCII is stored as sent.
    const astral = await post("/api/v1/tasks", Buffer.from('{"title":"a😀\u4e00"}'));
    expect(astral.status).toBe(201);
    expect(astral.body.title).toBe("a😀\u4e00");
  });

  it("refuses a query string whose escapes are not UTF-8 with a 400 on both surfaces", async () => {
    for (const escape of [...NOT_UTF8.map(percent), "%ZZ", "%"]) {
      const rest = await get(`/api/v1/tasks?q=${escape}`);
      expect(rest).toEqual({
        status: 400,
        body: {
          detail: "The request is malformed: the query string is not percent-encoded UTF-8.",
        },
      });
      const trpc = await get(`/trpc/tasks.list?input=%7B%22q%22%3A%22${escape}%22%7D`);
      expect(trpc.status).toBe(400);
      expect(trpc.body).toMatchObject({
        error: { data: { code: "BAD_REQUEST", httpStatus: 400 } },
      });
    }
    expect((await get(`/api/v1/tasks?q=${encodeURIComponent("\u4e00")}`)).status).toBe(200);
  });

  it("answers a URL the router refuses with Vary: Origin, as every response", async () => {
    const response = await fetch(`${server.url}/%ZZ`);
    expect(response.status).toBe(400);
    expect(response.headers.get("vary")).toBe("Origin");
  });
});

import { describe, expect, it } from "vitest";
import { mixed, rest, trpc, trpcBatch, type LoadFixture } from "../src/requests.ts";

const fixture: LoadFixture = {
  tokens: ["token-a", "token-b"],
  taskIds: [
    ["a1", "a2"],
    ["b1", "b2"],
  ],
};

describe("scenario request builders", () => {
  it("rotate over the users' tokens and each user's task ids", () => {
    const requests = [0, 1, 2, 3, 4].map((sequence) => rest.get(fixture, sequence));
    expect(requests.map((request) => [request.headers.authorization, request.path])).toEqual([
      ["Bearer token-a", "/api/v1/tasks/a1"],
      ["Bearer token-b", "/api/v1/tasks/b1"],
      ["Bearer token-a", "/api/v1/tasks/a2"],
      ["Bearer token-b", "/api/v1/tasks/b2"],
      ["Bearer token-a", "/api/v1/tasks/a1"],
    ]);
  });

  it("send tRPC queries as GET with URL-encoded JSON input and mutations as JSON POST", () => {
    const get = trpc.get(fixture, 1);
    expect(get.method).toBe("GET");
    expect(get.path).toBe(`/trpc/tasks.get?input=${encodeURIComponent('{"id":"b1"}')}`);
    const toggle = trpc.toggle(fixture, 0);
    expect([toggle.method, toggle.path, toggle.body]).toEqual([
      "POST",
      "/trpc/tasks.toggle",
      '{"id":"a1"}',
    ]);
    expect(toggle.headers["content-type"]).toBe("application/json");
  });

  it("batch three calls into one httpBatchLink request", () => {
    const url = new URL(trpcBatch(fixture, 0).path, "http://localhost");
    expect(url.pathname).toBe("/trpc/tasks.list,tasks.get,tasks.get");
    expect(url.searchParams.get("batch")).toBe("1");
    expect(JSON.parse(url.searchParams.get("input") ?? "")).toEqual({
      0: {},
      1: { id: "a1" },
      2: { id: "a2" },
    });
  });

  it("mix 80 % reads with 20 % writes", () => {
    const build = mixed(rest);
    const methods = Array.from({ length: 100 }, (_, sequence) => build(fixture, sequence).method);
    expect(methods.filter((method) => method === "GET")).toHaveLength(80);
    expect(methods.filter((method) => method === "POST")).toHaveLength(10);
    expect(methods.filter((method) => method === "PATCH")).toHaveLength(10);
  });

  it("give every created task a valid body", () => {
    expect(JSON.parse(rest.create(fixture, 7).body ?? "")).toEqual({
      title: "Bench task 7",
      description: "Created under load",
    });
  });
});

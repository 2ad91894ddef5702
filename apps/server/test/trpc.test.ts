import { randomUUID } from "node:crypto";
import type { AppRouter } from "@tasks/api";
import { testDrivers } from "@tasks/db/testing";
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

interface SeenResponse {
  url: string;
  status: number;
  headers: Headers;
}

describe.each(testDrivers())("tRPC over HTTP (%s)", (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
  });
  afterAll(() => server.close());

  /** A typed client as the frontend would build it; records every HTTP response. */
  function clientFor(token: string | undefined, seen: SeenResponse[] = [], batch = true) {
    const options = {
      url: `${server.url}/trpc`,
      headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      fetch: async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        const response = await fetch(input, init);
        seen.push({ url: String(input), status: response.status, headers: response.headers });
        return response;
      },
    };
    return createTRPCClient<AppRouter>({
      links: [batch ? httpBatchLink(options) : httpLink(options)],
    });
  }

  async function failure(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
    const error = await call.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    return error as TRPCClientError<AppRouter>;
  }

  it("runs every procedure for the token's user", async () => {
    const client = clientFor(await server.tokenFor(newUserId()), [], false);
    const created = await client.tasks.create.mutate({ title: "  Over tRPC ", description: "" });
    expect(created).toMatchObject({ title: "Over tRPC", description: null, completed: false });

    expect(await client.tasks.get.query({ id: created.id })).toEqual(created);
    const updated = await client.tasks.update.mutate({
      id: created.id,
      description: "now with words",
    });
    expect(updated).toMatchObject({ title: "Over tRPC", description: "now with words" });
    expect((await client.tasks.toggle.mutate({ id: created.id })).completed).toBe(true);

    const page = await client.tasks.list.query({ status: "completed" });
    expect(page.items.map((task) => task.id)).toEqual([created.id]);

    expect(await client.tasks.delete.mutate({ id: created.id })).toBeNull();
    const gone = await failure(client.tasks.get.query({ id: created.id }));
    expect(gone.data?.code).toBe("NOT_FOUND");
    expect(gone.data?.httpStatus).toBe(404);
  });

  it("sends several procedures in one batched HTTP request", async () => {
    const seen: SeenResponse[] = [];
    const client = clientFor(await server.tokenFor(newUserId()), seen);
    const [first, second] = await Promise.all([
      client.tasks.create.mutate({ title: "one" }),
      client.tasks.create.mutate({ title: "two" }),
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toContain("tasks.create,tasks.create");

    seen.length = 0;
    const [list, one, missing] = await Promise.allSettled([
      client.tasks.list.query({ sort: "title", order: "asc" }),
      client.tasks.get.query({ id: first.id }),
      client.tasks.get.query({ id: randomUUID() }),
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.status).toBe(207);
    expect(list.status === "fulfilled" && list.value.items.map((task) => task.title)).toEqual([
      "one",
      "two",
    ]);
    expect(one.status === "fulfilled" && one.value.id).toBe(first.id);
    expect(
      missing.status === "rejected" && (missing.reason as TRPCClientError<AppRouter>).data?.code,
    ).toBe("NOT_FOUND");
    expect(second.title).toBe("two");
  });

  it("answers UNAUTHORIZED with the reason and WWW-Authenticate", async () => {
    const seen: SeenResponse[] = [];
    const anonymous = await failure(clientFor(undefined, seen).tasks.list.query({}));
    expect(anonymous.data?.code).toBe("UNAUTHORIZED");
    expect(anonymous.message).toMatch(/Authorization: Bearer/);
    expect(seen[0]?.status).toBe(401);
    expect(seen[0]?.headers.get("www-authenticate")).toBe("Bearer");

    const expired = await server.issuer.sign({ sub: newUserId() }, { expiresIn: "-5m" });
    const late = await failure(clientFor(expired).tasks.list.query({}));
    expect(late.data?.code).toBe("UNAUTHORIZED");
    expect(late.message).toMatch(/expired/);
  });

  it("answers FORBIDDEN for another user's task and UNPROCESSABLE_CONTENT with issues", async () => {
    const owner = clientFor(await server.tokenFor(newUserId()));
    const task = await owner.tasks.create.mutate({ title: "private" });
    const stranger = clientFor(await server.tokenFor(newUserId()));
    expect((await failure(stranger.tasks.toggle.mutate({ id: task.id }))).data?.code).toBe(
      "FORBIDDEN",
    );

    const invalid = await failure(owner.tasks.create.mutate({ title: "" }));
    expect(invalid.data?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(invalid.data?.httpStatus).toBe(422);
    expect(invalid.data).toMatchObject({ issues: [{ path: "title" }] });
    const badId = await failure(owner.tasks.get.query({ id: "nope" }));
    expect(badId.data?.code).toBe("UNPROCESSABLE_CONTENT");
  });

  it("carries x-request-id on tRPC responses", async () => {
    const seen: SeenResponse[] = [];
    await clientFor(await server.tokenFor(newUserId()), seen).tasks.list.query({});
    expect(seen[0]?.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

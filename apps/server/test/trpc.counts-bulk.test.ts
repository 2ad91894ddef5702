import type { AppRouter } from "@tasks/api";
import { testDrivers } from "@tasks/db/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, TestServer } from "./support/server.ts";

describe.each(testDrivers())("tRPC counts, bulk changes, versions and keys (%s)", (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start(driver);
  });
  afterAll(() => server.close());

  async function clientFor() {
    const token = await server.tokenFor(newUserId());
    return createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${server.url}/trpc`,
          headers: () => ({ authorization: `Bearer ${token}` }),
        }),
      ],
    });
  }

  async function codeOf(call: Promise<unknown>): Promise<unknown> {
    const error = await call.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    const { data } = error as TRPCClientError<AppRouter>;
    return [data?.code, data?.httpStatus];
  }

  it("counts, toggles all and clears completed over HTTP", async () => {
    const client = await clientFor();
    await Promise.all(["a", "b", "c"].map((title) => client.tasks.create.mutate({ title })));
    expect(await client.tasks.counts.query({})).toEqual({ all: 3, pending: 3, completed: 0 });
    expect(await client.tasks.updateMany.mutate({ completed: true })).toEqual({ updated: 3 });
    expect(await client.tasks.counts.query({ q: "b" })).toEqual({
      all: 1,
      pending: 0,
      completed: 1,
    });
    expect(await client.tasks.deleteMany.mutate({ status: "completed" })).toEqual({ deleted: 3 });
    expect(await client.tasks.counts.query({})).toEqual({ all: 0, pending: 0, completed: 0 });
    // @ts-expect-error the status is required
    expect(await codeOf(client.tasks.deleteMany.mutate({}))).toEqual([
      "UNPROCESSABLE_CONTENT",
      422,
    ]);
  });

  it("answers a stale expectedVersion with PRECONDITION_FAILED (412)", async () => {
    const client = await clientFor();
    const task = await client.tasks.create.mutate({ title: "v" });
    const updated = await client.tasks.update.mutate({
      id: task.id,
      title: "v2",
      expectedVersion: task.version,
    });
    expect(updated.version).toBe(2);
    for (const call of [
      client.tasks.update.mutate({ id: task.id, title: "lost", expectedVersion: 1 }),
      client.tasks.toggle.mutate({ id: task.id, expectedVersion: 1 }),
      client.tasks.delete.mutate({ id: task.id, expectedVersion: 1 }),
    ]) {
      expect(await codeOf(call)).toEqual(["PRECONDITION_FAILED", 412]);
    }
    expect(await client.tasks.get.query({ id: task.id })).toEqual(updated);
  });

  it("creates once under an idempotencyKey, and refuses its reuse for another body", async () => {
    const client = await clientFor();
    const idempotencyKey = "trpc-once";
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => client.tasks.create.mutate({ title: "t", idempotencyKey })),
    );
    const ids = new Set(
      results.flatMap((result) => (result.status === "fulfilled" ? [result.value.id] : [])),
    );
    expect(ids.size).toBe(1);
    expect((await client.tasks.counts.query({})).all).toBe(1);
    expect(await codeOf(client.tasks.create.mutate({ title: "other", idempotencyKey }))).toEqual([
      "UNPROCESSABLE_CONTENT",
      422,
    ]);
  });
});

import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  createTaskClient,
  type AppRouter,
  type Task,
  type TaskClient,
  type TaskFeedEvent,
} from "../src/index.ts";
import { tour } from "./readme-sample.ts";
import { signUpAndGetToken, startStack, type Stack } from "./stack.ts";

describe("the typed client against the running server and the development issuer", () => {
  let stack: Stack;
  let aliceToken: string;
  let bobToken: string;
  let token: string | null;
  let requests: number;
  let client: TaskClient;

  beforeAll(async () => {
    stack = await startStack();
    aliceToken = await signUpAndGetToken(stack.issuerUrl, "alice@example.com");
    bobToken = await signUpAndGetToken(stack.issuerUrl, "bob@example.com");
    token = aliceToken;
    requests = 0;
    client = createTaskClient({
      url: `${stack.apiUrl}/trpc`,
      getToken: () => token,
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
  }, 180_000);
  afterAll(() => stack?.stop());

  it("splits many concurrent calls into batches the server's default limit accepts", async () => {
    token = aliceToken;
    const before = requests;
    const pages = await Promise.all(
      Array.from({ length: 50 }, () => client.tasks.list.query({ limit: 1 })),
    );
    expect(pages).toHaveLength(50);
    // 50 calls at the default of 20 per batch: three requests.
    expect(requests - before).toBe(3);
  });

  it("creates, reads, updates, toggles, lists and deletes a task", async () => {
    token = aliceToken;
    const created = await client.tasks.create.mutate({ title: "  Write the tour  " });
    expect(created.title).toBe("Write the tour");
    expect(await client.tasks.get.query({ id: created.id })).toEqual(created);
    const updated = await client.tasks.update.mutate({
      id: created.id,
      description: "five minutes",
    });
    expect(updated.description).toBe("five minutes");
    expect((await client.tasks.toggle.mutate({ id: created.id })).completed).toBe(true);
    const page = await client.tasks.list.query({ status: "completed" });
    expect(page.items.map((task) => task.id)).toContain(created.id);
    await expect(client.tasks.delete.mutate({ id: created.id })).resolves.toBeNull();
  });

  it("returns exactly the types it declares: timestamps are strings at run time and in the types", async () => {
    token = aliceToken;
    const task = await client.tasks.create.mutate({ title: "typed" });
    expectTypeOf(task).toEqualTypeOf<Task>();
    expectTypeOf(task.createdAt).toEqualTypeOf<string>();
    expect(typeof task.createdAt).toBe("string");
    expect(typeof task.updatedAt).toBe("string");
    expect(new Date(task.createdAt).toISOString()).toBe(task.createdAt);
    expect(Object.keys(task).sort()).toEqual(
      ["completed", "createdAt", "description", "id", "title", "updatedAt", "version"].sort(),
    );
  });

  it("counts, toggles all, clears completed and writes under an expected version", async () => {
    token = await signUpAndGetToken(stack.issuerUrl, "carol@example.com");
    const created = await client.tasks.create.mutate({ title: "e2e", idempotencyKey: "e2e-1" });
    const again = await client.tasks.create.mutate({ title: "e2e", idempotencyKey: "e2e-1" });
    expect(again).toEqual(created);
    expect(await client.tasks.counts.query({})).toEqual({ all: 1, pending: 1, completed: 0 });
    const stale = client.tasks.toggle.mutate({ id: created.id, expectedVersion: 2 });
    await expect(stale).rejects.toMatchObject({ data: { code: "PRECONDITION_FAILED" } });
    expect(await client.tasks.updateMany.mutate({ completed: true })).toEqual({ updated: 1 });
    expect(await client.tasks.deleteMany.mutate({ status: "completed" })).toEqual({ deleted: 1 });
  });

  it("sends calls made together as one batched request", async () => {
    token = aliceToken;
    const task = await client.tasks.create.mutate({ title: "batched" });
    const before = requests;
    const [page, fetched, toggled] = await Promise.all([
      client.tasks.list.query({ limit: 5 }),
      client.tasks.get.query({ id: task.id }),
      client.tasks.toggle.mutate({ id: task.id }),
    ]);
    expect(page.items.length).toBeGreaterThan(0);
    expect(fetched.id).toBe(task.id);
    expect(toggled.completed).toBe(true);
    // Queries and mutations go in separate batches (GET and POST): two requests for three calls.
    expect(requests - before).toBe(2);
  });

  it("asks for the token on every request, so a new token takes effect at once", async () => {
    token = aliceToken;
    const alices = await client.tasks.create.mutate({ title: "alice's" });
    token = bobToken;
    const bobsPage = await client.tasks.list.query({});
    expect(bobsPage.items.map((task) => task.id)).not.toContain(alices.id);
    const forbidden = await client.tasks.get
      .query({ id: alices.id })
      .catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(TRPCClientError);
    expect((forbidden as TRPCClientError<AppRouter>).data?.code).toBe("FORBIDDEN");
  });

  it("reports a missing token as UNAUTHORIZED with the server's sentence", async () => {
    token = null;
    const error = await client.tasks.list.query({}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TRPCClientError);
    const clientError = error as TRPCClientError<AppRouter>;
    expect(clientError.data?.code).toBe("UNAUTHORIZED");
    expect(clientError.message).toMatch(/token/i);
  });

  it("reports validation problems with their paths", async () => {
    token = aliceToken;
    const error = (await client.tasks.create
      .mutate({ title: "" })
      .catch((thrown: unknown) => thrown)) as TRPCClientError<AppRouter>;
    expect(error.data?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(error.data?.issues).toEqual([{ path: "title", message: "Title must not be empty." }]);
  });

  it("runs the README's TypeScript sample as written", async () => {
    const result = await tour(stack.apiUrl, async () => aliceToken);
    expect(result.completed.map((task) => task.id)).toContain(result.created.id);
  });
  it("makes a subscription's connection again when the server never answers it", async () => {
    let connections = 0;
    const live = createTaskClient({
      url: `${stack.apiUrl}/trpc`,
      getToken: () => aliceToken,
      subscriptionAnswerTimeoutMs: 500,
      // The first connection is never answered, as when a proxy accepted it and hung.
      fetch: (input, init) => {
        connections += 1;
        if (connections > 1) return fetch(input, init);
        return new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        });
      },
    });
    const subscribed = Date.now();
    let subscription: { unsubscribe(): void } | undefined;
    const opened = new Promise<number>((resolve, reject) => {
      subscription = live.tasks.onChange.subscribe(undefined, {
        onStarted: () => resolve(Date.now() - subscribed),
        onError: reject,
      });
    });
    try {
      // Given up after 500 ms, then SUBSCRIPTION_RETRY_MS and EventSource's own 3 s
      // before it connects again; without the timeout nothing ever ended the wait.
      expect(await opened).toBeLessThan(15_000);
      expect(connections).toBe(2);
    } finally {
      subscription?.unsubscribe();
    }
  });

  it("opens a subscription whose token is refused once with the next token, as calls do", async () => {
    let subscriptionToken = "not-a-token";
    const refusals: string[] = [];
    const live = createTaskClient({
      url: `${stack.apiUrl}/trpc`,
      getToken: () => subscriptionToken,
      onUnauthorized: () => {
        refusals.push(subscriptionToken);
        subscriptionToken = aliceToken;
      },
    });
    let subscription: { unsubscribe(): void } | undefined;
    let started = () => {};
    const opened = new Promise<void>((resolve) => (started = resolve));
    const firstEvent = new Promise<TaskFeedEvent>((resolve, reject) => {
      subscription = live.tasks.onChange.subscribe(undefined, {
        onStarted: () => started(),
        onData: ({ data }) => resolve(data),
        onError: reject,
      });
    });
    try {
      await opened;
      token = aliceToken;
      const task = await client.tasks.create.mutate({ title: "seen live" });
      expect(await firstEvent).toMatchObject({ type: "created", id: task.id });
      expect(refusals).toEqual(["not-a-token"]);
    } finally {
      subscription?.unsubscribe();
    }
  });
});

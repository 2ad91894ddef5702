import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
  type TRPCClient,
  type TRPCLink,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { ClientRouter as AppRouter } from "@tasks/api";
import { EventSource, type EventSourceFetchInit, type FetchLike } from "eventsource";

/** What a failed call rejects with; `data` carries the error shape of docs/errors.md. */
export { TRPCClientError } from "@trpc/client";
export type { TaskChange, TaskFeedEvent } from "@tasks/api";

/** The task router's procedures as a client calls them (no server context in it). */
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Task = RouterOutputs["tasks"]["get"];
export type TaskPage = RouterOutputs["tasks"]["list"];
export type TaskCounts = RouterOutputs["tasks"]["counts"];

/** What a token provider may return: no token means the request goes without one. */
export type TokenResult = string | null | undefined;

export interface TaskClientOptions {
  /** The tRPC endpoint, e.g. `https://api.example.com/trpc`. */
  url: string;
  /**
   * Called for every request (batch) and every (re)connection of a subscription,
   * so a refreshed Better Auth token is used as soon as it exists: e.g.
   * `() => authClient.token().then((r) => r.data?.token)`.
   */
  getToken: () => TokenResult | Promise<TokenResult>;
  /**
   * Called when the API refuses the token (401); the call is then retried once, with
   * the token `getToken` gives next. Pass a TokenCache's `invalidate`.
   */
  onUnauthorized?: () => void;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A fetch implementation, for runtimes or tests that bring their own. */
  fetch?: typeof fetch;
  /**
   * Most calls sent in one batch: the server's `TRPC_MAX_BATCH_SIZE` (it refuses a
   * larger batch whole with 413). More concurrent calls go out as several batches.
   */
  maxBatchSize?: number;
  /**
   * How long a (re)connection of a subscription waits for the server's answer
   * before it is given up and made again. Default `SUBSCRIPTION_ANSWER_TIMEOUT_MS`.
   */
  subscriptionAnswerTimeoutMs?: number;
}

/** The server's default `TRPC_MAX_BATCH_SIZE`. */
export const DEFAULT_MAX_BATCH_SIZE = 20;

async function headersWithToken(options: TaskClientOptions): Promise<Record<string, string>> {
  const token = await options.getToken();
  return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/** How long a failed (re)connection of a subscription waits before the next attempt. */
export const SUBSCRIPTION_RETRY_MS = 1_000;

/**
 * EventSource waits its reconnection time (3 s unless the server sends `retry:`)
 * before every reconnection, also after a stream the server ended on purpose (at
 * the token's expiry, at shutdown), where it should resume at once. So every
 * stream starts with `retry: 0`, and a connection that fails waits
 * `SUBSCRIPTION_RETRY_MS` before reporting it, which paces the attempts while the
 * API is unreachable.
 */
const RECONNECT_AT_ONCE = new TextEncoder().encode("retry: 0\n\n");

function reconnectingAtOnce(response: Response): Response {
  if (response.status !== 200 || !response.body) return response;
  const prefix = new TransformStream<Uint8Array, Uint8Array>({
    start: (controller) => controller.enqueue(RECONNECT_AT_ONCE),
  });
  const { status, statusText, headers } = response;
  return new Response(response.body.pipeThrough(prefix), { status, statusText, headers });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a subscription's (re)connection waits for the server's answer (its headers). */
export const SUBSCRIPTION_ANSWER_TIMEOUT_MS = 10_000;

/**
 * `connect` given up after `ms` without an answer: EventSource has no timeout of
 * its own, so a connection accepted and never answered (a proxy mid-deploy, a
 * token provider that hangs) held the stream until tRPC's inactivity reconnect.
 * Only the wait for the answer is timed; the stream then ends with `init.signal`.
 * The error is not an AbortError, which EventSource would take for its own close.
 */
async function answeredWithin(
  ms: number,
  init: EventSourceFetchInit,
  connect: (init: EventSourceFetchInit) => Promise<Response>,
): Promise<Response> {
  const attempt = new AbortController();
  const { signal } = init;
  const forward = () => attempt.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener("abort", forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unanswered = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`The live-update stream got no answer within ${ms} ms.`);
      attempt.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([connect({ ...init, signal: attempt.signal }), unanswered]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Subscriptions (`tasks.onChange`) run over SSE through the `eventsource`
 * package's EventSource, which works in browsers and Node and, unlike the
 * browser's own, sends headers: the token travels in `Authorization` as on every
 * other call, never in the URL (where access logs would keep it). It asks for
 * the token again on every reconnect, so a stream that ended at the token's
 * expiry resumes with a fresh one, after the last event id it saw.
 */
function subscriptionFetch(options: TaskClientOptions): FetchLike {
  const fetchImpl = options.fetch ?? fetch;
  const { onUnauthorized } = options;
  const timeoutMs = options.subscriptionAnswerTimeoutMs ?? SUBSCRIPTION_ANSWER_TIMEOUT_MS;
  const connect = (url: string | URL, init: EventSourceFetchInit) =>
    answeredWithin(timeoutMs, init, async (timed) =>
      fetchImpl(url, {
        ...timed,
        headers: { ...timed.headers, ...(await headersWithToken(options)) },
      }),
    );
  return async (url, init) => {
    try {
      const response = await connect(url, init);
      // As for calls (retryLink below): a refused token is dropped and the connection made once
      // more with the next one. EventSource itself gives up for good on any status but 200.
      if (response.status !== 401 || !onUnauthorized) return reconnectingAtOnce(response);
      await response.body?.cancel();
      onUnauthorized();
      return reconnectingAtOnce(await connect(url, init));
    } catch (error) {
      await pause(SUBSCRIPTION_RETRY_MS);
      throw error;
    }
  };
}

/** The links of a task client: for `createTRPCClient` or a React Query setup. */
export function taskClientLinks(options: TaskClientOptions): TRPCLink<AppRouter>[] {
  const { onUnauthorized } = options;
  return [
    retryLink({
      retry({ error, attempts }) {
        if (!onUnauthorized || attempts > 1 || error.data?.code !== "UNAUTHORIZED") return false;
        onUnauthorized();
        return true;
      },
    }),
    splitLink({
      condition: (operation) => operation.type === "subscription",
      true: httpSubscriptionLink({
        url: options.url,
        EventSource,
        eventSourceOptions: { fetch: subscriptionFetch(options) },
      }),
      false: httpBatchLink({
        url: options.url,
        fetch: options.fetch,
        maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        headers: () => headersWithToken(options),
      }),
    }),
  ];
}

export type TaskClient = TRPCClient<AppRouter>;

/**
 * A typed client of the task procedures. Responses are plain JSON: timestamps are
 * ISO 8601 strings in the types and at run time alike.
 */
export function createTaskClient(options: TaskClientOptions): TaskClient {
  return createTRPCClient<AppRouter>({ links: taskClientLinks(options) });
}

export { createTokenCache, type TokenCache, type TokenCacheOptions } from "./token-cache.ts";

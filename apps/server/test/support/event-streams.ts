import type { TaskFeedEvent } from "@tasks/api";
import { createTaskClient, type TaskClient } from "@tasks/client";

/** One SSE frame as it arrived: its fields, or a comment. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** An event of the feed with its id, whichever surface delivered it. */
export interface ReceivedEvent {
  id: string;
  event: TaskFeedEvent;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function parseFrame(text: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim();
    const match = /^(id|event|data|retry): ?(.*)$/.exec(line);
    if (match) frame[match[1] as "id" | "event" | "data" | "retry"] = match[2];
  }
  return frame;
}

/** `GET /api/v1/tasks/events` read frame by frame, with fetch as any REST client would. */
export class RestEventStream {
  readonly frames: SseFrame[] = [];
  status = 0;
  headers = new Headers();
  body = "";
  ended = false;
  private readonly connection = new AbortController();

  static async open(
    baseUrl: string,
    token: string | undefined,
    lastEventId?: string,
  ): Promise<RestEventStream> {
    const stream = new RestEventStream();
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
    const response = await fetch(`${baseUrl}/api/v1/tasks/events`, {
      headers,
      signal: stream.connection.signal,
    });
    stream.status = response.status;
    stream.headers = response.headers;
    if (response.status !== 200) {
      stream.body = await response.text();
      stream.ended = true;
      return stream;
    }
    void stream.read(response);
    return stream;
  }

  /** The feed's events so far (not comments, not the `retry` frame). */
  get events(): ReceivedEvent[] {
    return this.frames
      .filter((frame) => frame.data !== undefined)
      .map((frame) => ({
        id: frame.id ?? "",
        event: JSON.parse(frame.data ?? "") as TaskFeedEvent,
      }));
  }

  async waitForEvents(count: number, timeoutMs = 15_000): Promise<ReceivedEvent[]> {
    await until(() => this.events.length >= count, timeoutMs, `${count} REST events`);
    return this.events;
  }

  async waitForEnd(timeoutMs = 15_000): Promise<void> {
    await until(() => this.ended, timeoutMs, "the REST stream to end");
  }

  close(): void {
    this.connection.abort();
  }

  private async read(response: Response): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of response.body ?? []) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffered.indexOf("\n\n");
        while (end >= 0) {
          this.frames.push(parseFrame(buffered.slice(0, end)));
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf("\n\n");
        }
      }
    } catch {
      // Aborted by close(), or cut by the server.
    } finally {
      this.ended = true;
    }
  }
}

/** `tasks.onChange` through @tasks/client's links (httpSubscriptionLink over SSE). */
export class TrpcSubscriber {
  readonly events: ReceivedEvent[] = [];
  readonly errors: unknown[] = [];
  starts = 0;
  token: string;
  private readonly subscription: { unsubscribe(): void };

  constructor(
    urlOf: () => string,
    token: string,
    options: { lastEventId?: string; fetch?: typeof fetch } = {},
  ) {
    this.token = token;
    const client: TaskClient = createTaskClient({
      url: `${urlOf()}/trpc`,
      getToken: () => this.token,
      fetch: options.fetch ?? ((input, init) => fetch(rebase(input, urlOf()), init)),
    });
    this.subscription = client.tasks.onChange.subscribe(
      options.lastEventId === undefined ? undefined : { lastEventId: options.lastEventId },
      {
        onStarted: () => (this.starts += 1),
        onData: (tracked) => this.events.push({ id: tracked.id, event: tracked.data }),
        onError: (error) => this.errors.push(error),
      },
    );
  }

  async waitForEvents(count: number, timeoutMs = 15_000): Promise<ReceivedEvent[]> {
    await until(() => this.events.length >= count, timeoutMs, `${count} tRPC events`);
    return this.events;
  }

  async waitForStarts(count: number, timeoutMs = 15_000): Promise<void> {
    await until(() => this.starts >= count, timeoutMs, `${count} tRPC stream starts`);
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}

/** The same request, sent to whichever instance `baseUrl` names now (a load balancer's choice). */
function rebase(input: string | URL | Request, baseUrl: string): string {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const base = new URL(baseUrl);
  url.protocol = base.protocol;
  url.host = base.host;
  return url.toString();
}

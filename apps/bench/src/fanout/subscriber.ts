// The fan-out scenario's subscriber, a child process of the bench (so the writer
// and the streams do not share an event loop): opens every stream with
// `Last-Event-ID: 0` (the fan-out users start without events, so each stream
// carries every change of its user), parses SSE, and stamps each change on
// arrival. Latency = arrival − the task's `updatedAt`, both read from this
// machine's wall clock (the server stamps `updatedAt` just before the write's
// statement, so the figure bounds commit-to-receipt from above).
import { request } from "node:http";
import { changeKey, type StreamReceipts } from "./delivery.ts";
import type { FromSubscriber, StreamSpec, ToSubscriber } from "./protocol.ts";
import { SseParser } from "./sse.ts";

interface ChangeData {
  readonly id: string;
  readonly version: number;
  readonly task: { readonly updatedAt: string } | null;
}

interface OpenStream {
  readonly receipts: { user: number; keys: string[]; latenciesMs: number[] };
}

const errors: string[] = [];
let received = 0;
let draining = false;

const send = (message: FromSubscriber): void => void process.send?.(message);
const wallClockMs = (): number => performance.timeOrigin + performance.now();

function receive(stream: OpenStream, index: number, event: string, data: string): void {
  if (event !== "created" && event !== "updated") {
    errors.push(`stream ${index}: unexpected '${event}' event`);
    return;
  }
  const change = JSON.parse(data) as ChangeData;
  const committedAt = Date.parse(change.task?.updatedAt ?? "");
  stream.receipts.keys.push(changeKey(change.id, change.version));
  stream.receipts.latenciesMs.push(wallClockMs() - committedAt);
  received += 1;
}

function openStream(spec: StreamSpec, index: number, onOpen: (error?: string) => void) {
  const stream: OpenStream = { receipts: { user: spec.user, keys: [], latenciesMs: [] } };
  const parser = new SseParser();
  const outgoing = request(spec.url, {
    agent: false,
    headers: {
      accept: "text/event-stream",
      authorization: `Bearer ${spec.token}`,
      "last-event-id": "0",
    },
  });
  outgoing.on("response", (response) => {
    if (response.statusCode !== 200)
      return onOpen(`stream ${index}: status ${response.statusCode}`);
    onOpen();
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      for (const message of parser.push(chunk)) receive(stream, index, message.event, message.data);
    });
    response.on("close", () => {
      if (!draining) errors.push(`stream ${index}: ended before the run did`);
    });
  });
  outgoing.on("error", (error) => {
    if (!draining) errors.push(`stream ${index}: ${error.message}`);
    onOpen(`stream ${index}: ${error.message}`);
  });
  outgoing.end();
  return { stream, close: () => outgoing.destroy() };
}

let opened: ReturnType<typeof openStream>[] = [];

function open(streams: readonly StreamSpec[]): void {
  let pending = streams.length;
  let failed = false;
  const onOpen = (error?: string): void => {
    if (failed) return;
    if (error !== undefined) {
      failed = true;
      return send({ type: "failed", error });
    }
    pending -= 1;
    if (pending === 0) send({ type: "opened" });
  };
  opened = streams.map((spec, index) => openStream(spec, index, onOpen));
}

async function drain(receipts: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (received < receipts && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  draining = true;
  for (const entry of opened) entry.close();
  const streams: StreamReceipts[] = opened.map((entry) => entry.stream.receipts);
  send({ type: "report", streams, errors });
}

process.on("message", (message: ToSubscriber) => {
  if (message.type === "open") open(message.streams);
  else void drain(message.receipts, message.timeoutMs);
});
process.on("disconnect", () => process.exit(0));

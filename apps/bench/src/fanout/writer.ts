// The fan-out scenario's writer: changes at a fixed rate (an open loop: a slow
// server does not slow the schedule), spread over the fan-out users and over both
// instances, each user's changes alternating between them so that every stream
// also receives changes made through the other instance.
import { Agent, request } from "node:http";
import { percentile } from "../latency.ts";
import { changeKey, type ExpectedChange } from "./delivery.ts";

export interface WriterUser {
  readonly token: string;
  /** Seeded tasks the writer toggles. */
  readonly taskIds: readonly string[];
}

export interface PlannedChange {
  readonly user: number;
  readonly instance: number;
  readonly kind: "create" | "toggle";
  /** For a toggle: which of the user's seeded tasks. */
  readonly taskIndex: number;
}

/** The `sequence`-th change: users in turn, then instances, then toggles and creates. */
export function planChange(sequence: number, users: number, instances: number): PlannedChange {
  const round = Math.floor(sequence / users);
  return {
    user: sequence % users,
    instance: round % instances,
    kind: Math.floor(round / instances) % 2 === 0 ? "toggle" : "create",
    taskIndex: Math.floor(round / 2),
  };
}

export interface WriterOptions {
  readonly urls: readonly string[];
  readonly users: readonly WriterUser[];
  readonly rate: number;
  readonly seconds: number;
  readonly phase: string;
  /** Where this phase's sequence starts (creates get distinct titles across phases). */
  readonly firstSequence: number;
}

export interface WriterResult {
  readonly phase: string;
  readonly sent: number;
  readonly errors: number;
  readonly firstFailure: string | null;
  readonly expected: readonly ExpectedChange[];
  /** Acknowledged changes per second of the phase. */
  readonly achievedRate: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
}

const TICK_MS = 2;
const SOCKETS_PER_INSTANCE = 64;

interface Written {
  readonly status: number;
  readonly body: string;
}

function send(
  agent: Agent,
  url: string,
  method: string,
  path: string,
  token: string,
  body?: string,
) {
  return new Promise<Written>((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const outgoing = request(new URL(path, url), { agent, method, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function requestOf(change: PlannedChange, user: WriterUser, sequence: number) {
  if (change.kind === "create") {
    const body = JSON.stringify({ title: `Fan-out task ${sequence}` });
    return { method: "POST", path: "/api/v1/tasks", body };
  }
  const taskId = user.taskIds[change.taskIndex % user.taskIds.length];
  return { method: "PATCH", path: `/api/v1/tasks/${taskId}/toggle`, body: undefined };
}

/** Runs one phase: `rate × seconds` changes on schedule, then waits for the last answers. */
export async function runWriter(options: WriterOptions): Promise<WriterResult> {
  const agents = options.urls.map(
    () => new Agent({ keepAlive: true, maxSockets: SOCKETS_PER_INSTANCE }),
  );
  const total = Math.round(options.rate * options.seconds);
  const expected: ExpectedChange[] = [];
  const ackMs: number[] = [];
  const inFlight: Promise<void>[] = [];
  let errors = 0;
  let firstFailure: string | null = null;
  const fail = (detail: string): void => {
    errors += 1;
    firstFailure ??= detail;
  };
  const fire = (index: number): Promise<void> => {
    const sequence = options.firstSequence + index;
    const change = planChange(sequence, options.users.length, options.urls.length);
    const user = options.users[change.user] as WriterUser;
    const spec = requestOf(change, user, sequence);
    const sentAt = performance.now();
    const url = options.urls[change.instance] as string;
    const agent = agents[change.instance] as Agent;
    return send(agent, url, spec.method, spec.path, user.token, spec.body).then(
      ({ status, body }) => {
        if (status < 200 || status >= 300)
          return fail(`${spec.method} ${spec.path} -> ${status} ${body.slice(0, 300)}`);
        ackMs.push(performance.now() - sentAt);
        const task = JSON.parse(body) as { id: string; version: number };
        expected.push({
          user: change.user,
          key: changeKey(task.id, task.version),
          phase: options.phase,
        });
      },
      (error: unknown) => fail(`${spec.method} ${spec.path}: ${String(error)}`),
    );
  };
  const startedAt = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - startedAt) / 1000) * options.rate),
      );
      for (; sent < due; sent += 1) inFlight.push(fire(sent));
      if (sent < total) return;
      clearInterval(timer);
      resolve();
    }, TICK_MS);
  });
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - startedAt) / 1000;
  for (const agent of agents) agent.destroy();
  ackMs.sort((a, b) => a - b);
  return {
    phase: options.phase,
    sent,
    errors,
    firstFailure,
    expected,
    achievedRate: expected.length / elapsedS,
    ackP50Ms: percentile(ackMs, 50),
    ackP99Ms: percentile(ackMs, 99),
  };
}

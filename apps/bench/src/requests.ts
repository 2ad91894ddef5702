// Pure request builders: given the fixture and a request's sequence number, the
// exact HTTP request a scenario sends. Requests rotate over the users' tokens and
// over each user's known task ids, so no row or token is hot by accident.

export interface LoadFixture {
  /** One bearer token per load user. */
  readonly tokens: readonly string[];
  /** Known task ids per load user, same order as tokens. */
  readonly taskIds: readonly (readonly string[])[];
}

export interface RequestSpec {
  readonly method: "GET" | "POST" | "PATCH";
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export type RequestBuilder = (fixture: LoadFixture, sequence: number) => RequestSpec;

interface Pick {
  readonly headers: Record<string, string>;
  readonly taskId: string;
}

function pick(fixture: LoadFixture, sequence: number): Pick {
  const users = fixture.tokens.length;
  const user = sequence % users;
  const ids = fixture.taskIds[user] ?? [];
  const taskId = ids[Math.floor(sequence / users) % Math.max(ids.length, 1)];
  if (taskId === undefined) throw new Error(`The fixture has no task ids for user ${user}.`);
  return { headers: { authorization: `Bearer ${fixture.tokens[user]}` }, taskId };
}

function withJson(headers: Record<string, string>): Record<string, string> {
  return { ...headers, "content-type": "application/json" };
}

function newTaskBody(sequence: number): string {
  return JSON.stringify({ title: `Bench task ${sequence}`, description: "Created under load" });
}

function trpcQuery(procedure: string, input: unknown): string {
  return `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

export const rest = {
  list: (fixture, sequence) => ({
    method: "GET",
    path: "/api/v1/tasks",
    headers: pick(fixture, sequence).headers,
  }),
  get: (fixture, sequence) => {
    const { headers, taskId } = pick(fixture, sequence);
    return { method: "GET", path: `/api/v1/tasks/${taskId}`, headers };
  },
  create: (fixture, sequence) => ({
    method: "POST",
    path: "/api/v1/tasks",
    headers: withJson(pick(fixture, sequence).headers),
    body: newTaskBody(sequence),
  }),
  toggle: (fixture, sequence) => {
    const { headers, taskId } = pick(fixture, sequence);
    return { method: "PATCH", path: `/api/v1/tasks/${taskId}/toggle`, headers };
  },
} satisfies Record<string, RequestBuilder>;

export const trpc = {
  list: (fixture, sequence) => ({
    method: "GET",
    path: trpcQuery("tasks.list", {}),
    headers: pick(fixture, sequence).headers,
  }),
  get: (fixture, sequence) => {
    const { headers, taskId } = pick(fixture, sequence);
    return { method: "GET", path: trpcQuery("tasks.get", { id: taskId }), headers };
  },
  create: (fixture, sequence) => ({
    method: "POST",
    path: "/trpc/tasks.create",
    headers: withJson(pick(fixture, sequence).headers),
    body: newTaskBody(sequence),
  }),
  toggle: (fixture, sequence) => {
    const { headers, taskId } = pick(fixture, sequence);
    return {
      method: "POST",
      path: "/trpc/tasks.toggle",
      headers: withJson(headers),
      body: JSON.stringify({ id: taskId }),
    };
  },
} satisfies Record<string, RequestBuilder>;

/** Three calls in one httpBatchLink request: the first page and two tasks. */
export const trpcBatch: RequestBuilder = (fixture, sequence) => {
  const first = pick(fixture, sequence);
  const second = pick(fixture, sequence + fixture.tokens.length);
  const input = { 0: {}, 1: { id: first.taskId }, 2: { id: second.taskId } };
  const query = `batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  return {
    method: "GET",
    path: `/trpc/tasks.list,tasks.get,tasks.get?${query}`,
    headers: first.headers,
  };
};

/** 80 % reads (list, get), 20 % writes (create, toggle), interleaved by sequence. */
export function mixed(
  builders: Record<"list" | "get" | "create" | "toggle", RequestBuilder>,
): RequestBuilder {
  const cycle = [
    ...Array<RequestBuilder>(4).fill(builders.list),
    ...Array<RequestBuilder>(4).fill(builders.get),
  ];
  cycle.push(builders.create, builders.toggle);
  return (fixture, sequence) =>
    (cycle[sequence % cycle.length] as RequestBuilder)(fixture, sequence);
}

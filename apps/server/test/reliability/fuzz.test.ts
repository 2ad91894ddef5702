import { randomUUID } from "node:crypto";
import type { TestClaims } from "@tasks/auth/testing";
import { createTestDatabase, testDrivers, type TestDatabase } from "@tasks/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../support/server.ts";
import { reportFigures } from "./support/figures.ts";
import {
  batch,
  boundaryBatches,
  judgeBatch,
  resolveBatch,
  type Batch,
} from "./support/fuzz-batches.ts";
import { fuzzCase } from "./support/fuzz-cases.ts";
import {
  emptyAcknowledged,
  headerProblems,
  judge,
  isOverHeadLimit,
  restErrorProblems,
  unexplainedChanges,
  type FuzzResponse,
} from "./support/fuzz-checks.ts";
import {
  cursorEdit,
  cursorVerdict,
  pageRequest,
  seedCursorTasks,
  walk,
  type MintedCursor,
  type Walk,
} from "./support/fuzz-cursors.ts";
import { textCase, textRequest, verdictOf, type TextCase } from "./support/fuzz-fields.ts";
import { parseJson, send, type WireRequest } from "./support/fuzz-http.ts";
import { hostileSub, lookalikeSubs } from "./support/fuzz-subjects.ts";
import { FuzzWorld } from "./support/fuzz-world.ts";
import { diffTables, snapshotTasks } from "./support/tasks-table.ts";

/**
 * Random requests per database driver (CI: the default); FUZZ_RUNS=20000 for a
 * longer hunt. The focused properties below scale with it.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1_500);
const scaled = (runs: number) => Math.max(1, Math.round((runs * FUZZ_RUNS) / 1_500));
/** How long one property may take (a failing one stops shrinking then), and its test. */
const TIME_LIMIT = 50_000 * Math.max(1, FUZZ_RUNS / 1_500);
const TEST_TIMEOUT = TIME_LIMIT + 30_000;
/** Requests sent at once: one batch is one fast-check run. */
const BATCH = 25;
const BODY_LIMIT = 65_536;
const MAX_BATCH_SIZE = 20;
/** The embedded database always; real PostgreSQL where TEST_DATABASE_URL names one. */
const drivers = testDrivers().filter((driver) => driver !== "neon");

/**
 * Runs a property; a failing run stops shrinking before the test's own timeout,
 * so the report still names the smallest case found so far.
 */
async function check<T>(
  property: fc.IAsyncProperty<T>,
  numRuns: number,
  examples: T[] = [],
): Promise<void> {
  await fc.assert(property, {
    numRuns,
    examples,
    interruptAfterTimeLimit: 50_000,
    markInterruptAsFailure: true,
  });
}

/** Cases and statuses of one property, for the figures line. */
class Tally {
  cases = 0;
  readonly statuses = new Map<number, number>();

  count(status: number): void {
    this.cases += 1;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  report(label: string, started: number): void {
    reportFigures(label, {
      cases: this.cases,
      milliseconds: Date.now() - started,
      statuses: Object.fromEntries([...this.statuses].sort(([a], [b]) => a - b)),
    });
  }
}

/** The problems of an answer any property judges the same way: no 5xx, headers, error bodies. */
function answerProblems(request: WireRequest, procedure: string, response: FuzzResponse): string[] {
  const problems = headerProblems({ ...request, procedure }, response);
  if (response.status >= 500) problems.push(`status ${response.status}`);
  if (request.path.startsWith("/api/") && response.status >= 400) {
    problems.push(...restErrorProblems(response));
  }
  return problems;
}

function label(request: WireRequest): string {
  return `${request.method} ${request.path.slice(0, 100)}`;
}

describe.each(drivers)("property-based fuzz over HTTP (%s)", (driver) => {
  let database: TestDatabase;
  let server: TestServer;
  let world: FuzzWorld;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    server = await TestServer.start(driver, {
      db: database.db,
      env: {
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        RATE_LIMIT_MAX: "1000000",
        TRPC_MAX_BATCH_SIZE: String(MAX_BATCH_SIZE),
      },
    });
    world = await FuzzWorld.create(server.issuer, BODY_LIMIT);
    await world.replenish(database.db);
    world.cursors.push(...(await realCursors(server, world)));
  });
  afterAll(async () => {
    await server.close();
    await database.cleanup();
  });

  it(
    `answers ${FUZZ_RUNS} random requests within the contract and changes nothing it refuses`,
    async () => {
      const tally = new Tally();
      const property = fc.asyncProperty(
        fc.array(fuzzCase, { minLength: BATCH, maxLength: BATCH }),
        async (cases) => {
          await world.replenish(database.db);
          const before = await snapshotTasks(database.db);
          const requests = cases.map((fuzz) => world.resolve(fuzz));
          const responses = await Promise.all(requests.map((request) => send(server.url, request)));
          const after = await snapshotTasks(database.db);

          const acknowledged = emptyAcknowledged();
          const problems = requests.flatMap((request, index) => {
            const response = responses[index] as FuzzResponse;
            tally.count(response.status);
            return judge(request, response, { before, after }, acknowledged).map(
              (problem) => `${label(request)}: ${problem}`,
            );
          });
          problems.push(...unexplainedChanges(diffTables(before, after), acknowledged));
          expect(problems).toEqual([]);
        },
      );
      const started = Date.now();
      await check(property, Math.ceil(FUZZ_RUNS / BATCH));
      tally.report(`fuzz random requests (${driver})`, started);
      expect(tally.cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
      // Every kind of answer was reached, not only the refusals.
      expect([...tally.statuses.keys()]).toEqual(
        expect.arrayContaining([200, 201, 204, 400, 401, 403, 404, 405, 413, 415, 422]),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    "stores text from the whole of Unicode exactly as sent (after trimming) or refuses it with a 422",
    async () => {
      const userId = `fuzz_text_${randomUUID()}`;
      const token = await server.issuer.sign({ sub: userId });
      const targets = await Promise.all(
        Array.from({ length: BATCH }, () =>
          database.db.prisma.task.create({ data: { userId, title: "target", description: "d" } }),
        ),
      );
      const tally = new Tally();
      const property = fc.asyncProperty(
        fc.array(textCase, { minLength: 1, maxLength: BATCH }),
        async (cases) => {
          const requests = cases.map((fuzz, index) =>
            textRequest(fuzz, token, (targets[index] as { id: string }).id),
          );
          const before = await snapshotTasks(database.db, [userId]);
          const responses = await Promise.all(requests.map((request) => send(server.url, request)));
          const problems: string[] = [];
          for (const [index, fuzz] of cases.entries()) {
            const response = responses[index] as FuzzResponse;
            const request = requests[index] as WireRequest;
            tally.count(response.status);
            const found = [
              ...answerProblems(request, fuzz.field, response),
              ...(await textProblems(
                fuzz,
                request,
                response,
                (targets[index] as { id: string }).id,
              )),
            ];
            problems.push(
              ...found.map(
                (problem) =>
                  `${fuzz.field} ${fuzz.surface} ${fuzz.encoding} ${JSON.stringify(fuzz.text).slice(0, 80)}: ${problem}`,
              ),
            );
          }
          const after = await snapshotTasks(database.db, [userId]);
          const diff = diffTables(before, after);
          const acknowledged = emptyAcknowledged();
          cases.forEach((fuzz, index) => {
            const response = responses[index] as FuzzResponse;
            if (response.status >= 300) return;
            const id = bodyOf(fuzz.surface, response)?.id;
            if (fuzz.field.startsWith("create") && typeof id === "string")
              acknowledged.created.set(id, userId);
            if (fuzz.field.startsWith("update"))
              acknowledged.changed.add((targets[index] as { id: string }).id);
          });
          problems.push(...unexplainedChanges(diff, acknowledged));
          expect(problems).toEqual([]);
        },
      );
      const started = Date.now();
      await check(property, scaled(40));
      tally.report(`fuzz text (${driver})`, started);
      expect([...tally.statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 400, 422]));

      /** What the case's verdict requires of the answer and of the stored row. */
      async function textProblems(
        fuzz: TextCase,
        request: WireRequest,
        response: FuzzResponse,
        targetId: string,
      ): Promise<string[]> {
        const verdict = verdictOf(fuzz);
        if ([0, 431].includes(response.status) && isOverHeadLimit(request)) return [];
        if (verdict.outcome === "refused") {
          if (!verdict.statuses.includes(response.status)) {
            return [
              `${response.status}, not ${verdict.statuses.join(" or ")}: ${response.text.slice(0, 160)}`,
            ];
          }
          const paths = issuePaths(fuzz.surface, response);
          return response.status !== 422 || paths.includes(verdict.path)
            ? []
            : [`422 names ${paths.join(", ")}, not ${verdict.path}`];
        }
        const success = fuzz.surface === "rest" && fuzz.field.startsWith("create") ? 201 : 200;
        if (response.status !== success)
          return [`${response.status}, not ${success}: ${response.text.slice(0, 160)}`];
        if (verdict.outcome === "listed") return [];
        const task = bodyOf(fuzz.surface, response);
        const id = fuzz.field.startsWith("create") ? String(task?.id) : targetId;
        const row = await database.db.prisma.task.findUnique({ where: { id } });
        const problems: string[] = [];
        if (task?.[verdict.column] !== verdict.value)
          problems.push(`answered ${JSON.stringify(task?.[verdict.column])?.slice(0, 80)}`);
        if (row?.[verdict.column] !== verdict.value)
          problems.push(`stored ${JSON.stringify(row?.[verdict.column])?.slice(0, 80)}`);
        return problems;
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "accepts back every cursor it mints, over titles of every script and length, and refuses edited ones with a 422",
    async () => {
      const userId = `fuzz_cursor_${randomUUID()}`;
      const token = await server.issuer.sign({ sub: userId });
      await seedCursorTasks(database.db, userId, 12);
      const rows = await database.db.prisma.task.findMany({ where: { userId } });
      const minted: MintedCursor[] = [];
      const tally = new Tally();
      const started = Date.now();

      const walks = fc.asyncProperty(walk, async (each: Walk) => {
        const { surface, ...query } = each;
        const seen: string[] = [];
        const problems: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page <= rows.length; page += 1) {
          const request = pageRequest(query, surface, token, cursor);
          const response = await send(server.url, request);
          tally.count(response.status);
          problems.push(...answerProblems(request, "list", response));
          const body = bodyOf(surface, response) as
            { items: { id: string }[]; nextCursor: string | null } | undefined;
          if (response.status !== 200 || !body) {
            problems.push(
              `page ${page} after a minted cursor: ${response.status} ${response.text.slice(0, 160)}`,
            );
            break;
          }
          seen.push(...body.items.map((item) => item.id));
          if (body.nextCursor === null) break;
          cursor = body.nextCursor;
          minted.push({ cursor, query });
        }
        const expected = rows
          .filter(
            (row) => query.status === "all" || row.completed === (query.status === "completed"),
          )
          .map((row) => row.id);
        expect(problems).toEqual([]);
        // Every task exactly once, whatever the title.
        expect([...seen].sort()).toEqual([...expected].sort());
      });
      await check(walks, scaled(12));
      expect(minted.length).toBeGreaterThan(0);

      const edits = fc.asyncProperty(
        fc.nat(),
        cursorEdit,
        fc.constantFrom("rest" as const, "trpc" as const),
        async (index, change, surface) => {
          const { cursor, query } = minted[index % minted.length] as MintedCursor;
          const edited = change.apply(cursor, query);
          const request = pageRequest(query, surface, token, edited);
          const response = await send(server.url, request);
          tally.count(response.status);
          const problems = answerProblems(request, "list", response);
          const verdict = edited === cursor ? "either" : cursorVerdict(edited, query);
          const allowed = verdict === "invalid" ? [422] : [200, 422];
          // An edit may make the URL longer than Node reads (431).
          if (isOverHeadLimit(request)) allowed.push(0, 431);
          if (!allowed.includes(response.status)) {
            problems.push(
              `${change.describe}: ${response.status}, not ${allowed.join(" or ")}: ${response.text.slice(0, 160)}`,
            );
          }
          const items =
            (bodyOf(surface, response) as { items?: { id: string }[] } | undefined)?.items ?? [];
          const own = new Set(rows.map((row) => row.id));
          if (items.some((item) => !own.has(item.id)))
            problems.push(`${change.describe}: another user's task listed`);
          expect(problems).toEqual([]);
        },
      );
      await check(edits, scaled(150));
      tally.report(`fuzz cursors (${driver})`, started);
      expect(tally.statuses.get(422)).toBeGreaterThan(0);
    },
    TEST_TIMEOUT,
  );

  it(
    `answers tRPC batches of 1 to 50 calls mixing procedures and users, 413 beyond ${MAX_BATCH_SIZE}`,
    async () => {
      const userIds = ["first", "second", "third"].map(
        (name) => `fuzz_batch_${name}_${randomUUID()}`,
      );
      const tokens = await Promise.all(userIds.map((sub) => server.issuer.sign({ sub })));
      const tasks = new Map<string, string[]>();
      const tally = new Tally();
      const property = fc.asyncProperty(
        fc.array(batch, { minLength: 1, maxLength: 2 }),
        async (batches) => {
          for (const userId of userIds) {
            const owned = await topUp(database, userId, 4);
            tasks.set(
              userId,
              owned.map((row) => row.id),
            );
          }
          const users = {
            tokens,
            userIds,
            tasksOf: (user: number) => tasks.get(userIds[user] ?? "") ?? [],
          };
          const resolved = batches.map((entry) => resolveBatch(entry, users));
          const before = await snapshotTasks(database.db, userIds);
          const responses = await Promise.all(
            resolved.map(({ request }) => send(server.url, request)),
          );
          const after = await snapshotTasks(database.db, userIds);
          const ownerOf = (id: string) => (after.get(id) ?? before.get(id))?.userId;
          const acknowledged = emptyAcknowledged();
          const problems = resolved.flatMap((each, index) => {
            const response = responses[index] as FuzzResponse;
            tally.count(response.status);
            return judgeBatch(each, response, MAX_BATCH_SIZE, ownerOf, acknowledged).map(
              (problem) => `${each.batch.method} batch of ${each.batch.calls.length}: ${problem}`,
            );
          });
          problems.push(...unexplainedChanges(diffTables(before, after), acknowledged));
          expect(problems).toEqual([]);
        },
      );
      const started = Date.now();
      const boundaries = boundaryBatches(MAX_BATCH_SIZE).map((entry): [Batch[]] => [[entry]]);
      await check(property, scaled(20), boundaries);
      tally.report(`fuzz tRPC batches (${driver})`, started);
      expect([...tally.statuses.keys()]).toEqual(expect.arrayContaining([200, 413]));
    },
    TEST_TIMEOUT,
  );

  it(
    "refuses a hostile sub with a 401 and never lets two different subs see each other's tasks",
    async () => {
      const tally = new Tally();
      const started = Date.now();
      const hostile = fc.asyncProperty(
        hostileSub,
        fc.constantFrom("rest", "trpc"),
        async (sub, surface) => {
          const token = await server.issuer.sign({ sub } as unknown as TestClaims);
          const before = await database.db.prisma.task.count();
          const request = createRequest(surface, token, "hostile sub");
          const response = await send(server.url, request);
          tally.count(response.status);
          const problems = answerProblems(request, "create", response);
          if (response.status !== 401)
            problems.push(`${response.status}: ${response.text.slice(0, 160)}`);
          if ((await database.db.prisma.task.count()) !== before)
            problems.push("a task was stored");
          expect(problems, JSON.stringify(sub)?.slice(0, 80)).toEqual([]);
        },
      );
      await check(hostile, scaled(40));

      const lookalikes = fc.asyncProperty(
        lookalikeSubs,
        fc.constantFrom("rest", "trpc"),
        async (subs, surface) => {
          const problems: string[] = [];
          const created: string[] = [];
          for (const sub of subs) {
            const token = await server.issuer.sign({ sub });
            const request = createRequest(surface, token, `by ${randomUUID()}`);
            const response = await send(server.url, request);
            tally.count(response.status);
            problems.push(...answerProblems(request, "create", response));
            const id = bodyOf(surface, response)?.id;
            if (typeof id !== "string") {
              problems.push(
                `${JSON.stringify(sub)}: ${response.status} ${response.text.slice(0, 120)}`,
              );
              continue;
            }
            created.push(id);
            const row = await database.db.prisma.task.findUnique({ where: { id } });
            if (row?.userId !== sub)
              problems.push(`sub ${JSON.stringify(sub)} stored as ${JSON.stringify(row?.userId)}`);
          }
          for (const [index, sub] of subs.entries()) {
            const token = await server.issuer.sign({ sub });
            const listed = await send(
              server.url,
              pageRequest(
                { sort: "createdAt", order: "desc", status: "all", limit: 100 },
                surface,
                token,
                undefined,
              ),
            );
            const items =
              (bodyOf(surface, listed) as { items?: { id: string }[] } | undefined)?.items ?? [];
            const ids = new Set(items.map((item) => item.id));
            const [own, other] = index === 0 ? created : [...created].reverse();
            if (own !== undefined && !ids.has(own))
              problems.push(`${JSON.stringify(sub)} does not see its task`);
            if (other !== undefined && ids.has(other))
              problems.push(`${JSON.stringify(sub)} sees the other sub's task`);
          }
          expect(problems, JSON.stringify(subs)).toEqual([]);
        },
      );
      await check(lookalikes, scaled(25));
      tally.report(`fuzz sub claims (${driver})`, started);
    },
    TEST_TIMEOUT,
  );

  it("still answers, reads and writes, and logged nothing unexpected", async () => {
    await expectAlive(server);
  });
});

describe("each call of a tRPC batch counts against the rate limit", () => {
  const RATE_LIMIT = 40;
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start("pglite", { env: { RATE_LIMIT_MAX: String(RATE_LIMIT) } });
  });
  afterAll(async () => {
    await server.close();
  });

  it(
    `refuses with 429 the first request that takes a user past ${RATE_LIMIT} calls`,
    async () => {
      const tally = new Tally();
      const property = fc.asyncProperty(
        fc.array(
          fc.record({ calls: fc.integer({ min: 1, max: MAX_BATCH_SIZE }), rest: fc.boolean() }),
          { minLength: 1, maxLength: 8 },
        ),
        async (sequence) => {
          const token = await server.tokenFor();
          let spent = 0;
          const problems: string[] = [];
          for (const { calls, rest } of sequence) {
            const request: WireRequest = rest
              ? {
                  method: "GET",
                  path: "/api/v1/tasks?limit=1",
                  headers: { authorization: `Bearer ${token}` },
                  body: undefined,
                }
              : batchOfLists(token, calls);
            const cost = rest ? 1 : calls;
            const response = await send(server.url, request);
            tally.count(response.status);
            problems.push(...answerProblems(request, "list", response));
            const expected = spent + cost <= RATE_LIMIT ? 200 : 429;
            if (response.status !== expected) {
              problems.push(`${cost} calls after ${spent}: ${response.status}, not ${expected}`);
            }
            // A refused request spends what it was charged up to the limit: the budget stays spent.
            spent = expected === 200 ? spent + cost : RATE_LIMIT;
          }
          expect(problems).toEqual([]);
        },
      );
      const started = Date.now();
      await check(property, scaled(25));
      tally.report("fuzz rate limit per batch call (pglite)", started);
      expect([...tally.statuses.keys()].sort()).toEqual([200, 429]);
    },
    TEST_TIMEOUT,
  );
});

/** At least `minimum` tasks of `userId`, written straight to the table. */
async function topUp(database: TestDatabase, userId: string, minimum: number) {
  const { prisma } = database.db;
  const owned = await prisma.task.findMany({ where: { userId }, select: { id: true } });
  for (let index = owned.length; index < minimum; index += 1) {
    owned.push(
      await prisma.task.create({ data: { userId, title: `seed ${index}` }, select: { id: true } }),
    );
  }
  return owned;
}

function batchOfLists(token: string, calls: number): WireRequest {
  const paths = Array.from({ length: calls }, () => "tasks.list").join(",");
  const input = encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, { limit: 1 }]))),
  );
  return {
    method: "GET",
    path: `/trpc/${paths}?batch=1&input=${input}`,
    headers: { authorization: `Bearer ${token}` },
    body: undefined,
  };
}

function createRequest(surface: "rest" | "trpc", token: string, title: string): WireRequest {
  return {
    method: "POST",
    path: surface === "rest" ? "/api/v1/tasks" : "/trpc/tasks.create",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title }),
  };
}

/** The task or page a successful answer carries, on either surface. */
function bodyOf(
  surface: "rest" | "trpc",
  response: FuzzResponse,
): Record<string, unknown> | undefined {
  const body = parseJson(response.text) as Record<string, unknown> | undefined;
  if (surface === "rest") return response.status < 300 ? body : undefined;
  return (body?.result as { data?: Record<string, unknown> } | undefined)?.data;
}

/** The paths a 422 names, on either surface. */
function issuePaths(surface: "rest" | "trpc", response: FuzzResponse): string[] {
  const body = parseJson(response.text) as
    { errors?: { path: string }[]; error?: { data?: { issues?: { path: string }[] } } } | undefined;
  const issues = surface === "rest" ? body?.errors : body?.error?.data?.issues;
  return (issues ?? []).map((issue) => issue.path);
}

/** Cursors handed out by the API itself, for both users and every sort. */
async function realCursors(server: TestServer, world: FuzzWorld): Promise<string[]> {
  const cursors: string[] = [];
  for (const token of [world.own.token, world.foreign.token]) {
    for (const sort of ["createdAt", "updatedAt", "title"]) {
      for (const order of ["asc", "desc"]) {
        const reply = await server.request(
          "GET",
          `/api/v1/tasks?limit=1&sort=${sort}&order=${order}`,
          {
            token,
          },
        );
        const cursor = (reply.body as { nextCursor: string | null }).nextCursor;
        if (cursor) cursors.push(cursor);
      }
    }
  }
  expect(cursors).toHaveLength(12);
  return cursors;
}

/** After the run the same server still answers, reads and writes; nothing was logged as unexpected. */
async function expectAlive(server: TestServer): Promise<void> {
  expect((await server.request("GET", "/health")).status).toBe(200);
  expect((await server.request("GET", "/ready")).status).toBe(200);
  const token = await server.tokenFor();
  const created = await server.request("POST", "/api/v1/tasks", {
    token,
    body: { title: "after the fuzz" },
  });
  expect(created.status).toBe(201);
  expect(server.logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
}

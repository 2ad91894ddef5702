import { createTestDatabase, testDrivers, type TestDatabase } from "@tasks/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../support/server.ts";
import { reportFigures } from "./support/figures.ts";
import { fuzzCase } from "./support/fuzz-cases.ts";
import {
  emptyAcknowledged,
  judge,
  unexplainedChanges,
  type FuzzResponse,
} from "./support/fuzz-checks.ts";
import { FuzzWorld, type FuzzRequest } from "./support/fuzz-world.ts";
import { diffTables, snapshotTasks } from "./support/tasks-table.ts";

/** Cases in total (CI: 5,000); FUZZ_RUNS=50000 for a longer hunt. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
/** Requests sent at once: one batch is one fast-check run. */
const BATCH = 25;
const BODY_LIMIT = 4_096;
/** Real PostgreSQL when CI provides it, the embedded database otherwise. */
const driver = testDrivers().includes("pg") ? "pg" : "pglite";

async function send(url: string, request: FuzzRequest): Promise<FuzzResponse> {
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    // A byte body, so that fetch adds no Content-Type of its own.
    body: request.body === undefined ? undefined : Buffer.from(request.body),
    redirect: "manual",
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe(`property-based fuzz of every route and procedure (${driver})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: FuzzWorld;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    server = await TestServer.start(driver, {
      db: database.db,
      env: { BODY_LIMIT_BYTES: String(BODY_LIMIT), RATE_LIMIT_MAX: "1000000" },
    });
    world = await FuzzWorld.create(server.issuer, BODY_LIMIT);
    await world.replenish(database.db);
    world.cursors.push(...(await realCursors(server, world)));
  });
  afterAll(async () => {
    await server.close();
    await database.cleanup();
  });

  it(`answers ${FUZZ_RUNS} random requests within the contract and changes nothing it refuses`, async () => {
    const statuses = new Map<number, number>();
    let cases = 0;
    const property = fc.asyncProperty(
      fc.array(fuzzCase, { minLength: BATCH, maxLength: BATCH }),
      async (batch) => {
        await world.replenish(database.db);
        const before = await snapshotTasks(database.db);
        const requests = batch.map((fuzz) => world.resolve(fuzz));
        const responses = await Promise.all(requests.map((request) => send(server.url, request)));
        const after = await snapshotTasks(database.db);

        const acknowledged = emptyAcknowledged();
        const problems = requests.flatMap((request, index) => {
          const response = responses[index] as FuzzResponse;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          return judge(request, response, { before, after }, acknowledged).map(
            (problem) => `${request.method} ${request.path.slice(0, 120)}: ${problem}`,
          );
        });
        problems.push(...unexplainedChanges(diffTables(before, after), acknowledged));
        cases += batch.length;
        expect(problems).toEqual([]);
      },
    );
    const started = Date.now();
    await fc.assert(property, { numRuns: Math.ceil(FUZZ_RUNS / BATCH) });

    reportFigures(`fuzz (${driver})`, {
      cases,
      milliseconds: Date.now() - started,
      statuses: Object.fromEntries(statuses),
    });
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
    // Every kind of answer was reached, not only the refusals.
    expect([...statuses.keys()]).toEqual(
      expect.arrayContaining([200, 201, 204, 400, 401, 403, 404, 405, 413, 415, 422]),
    );
    await expectAlive(server);
  }, 240_000);
});

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

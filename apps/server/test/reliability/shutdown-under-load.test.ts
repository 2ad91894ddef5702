import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { createDatabase, databaseConfigFromEnv, databaseEnvSchema, type Database } from "@tasks/db";
import { createTestDatabase, testDrivers, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportFigures } from "./support/figures.ts";
import { runWorkers, sleep } from "./support/load.ts";
import { startServerProcess, trustingEnv } from "./support/server-process.ts";

const WRITERS = 16;
const PROCESS_TEST_TIMEOUT_MS = 120_000;
/** Real PostgreSQL when CI provides it; otherwise PGlite in a folder, opened again after the exit. */
const driver = testDrivers().includes("pg") ? "pg" : "pglite";

interface Outcome {
  title: string;
  answeredAt: number;
  status: number | "network error";
  id?: string;
  detail?: string;
  retryAfter?: string | null;
}

/** The description each create sends, so a stored row can be checked field by field. */
const descriptionOf = (title: string) => `body of ${title} `.repeat(8).trim();

describe(`SIGTERM to main.ts under a write load (${driver})`, () => {
  let issuer: TestIssuer;
  let testDatabase: TestDatabase | undefined;
  let pgliteDir: string | undefined;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    if (driver === "pg") testDatabase = await createTestDatabase("pg");
    else pgliteDir = await mkdtemp(join(tmpdir(), "tasks-shutdown-"));
  });
  afterAll(async () => {
    await issuer.close();
    await testDatabase?.cleanup();
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  });

  function databaseEnv(): Record<string, string> {
    return testDatabase?.url ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: pgliteDir ?? "" };
  }

  async function openDatabase(): Promise<Database> {
    if (testDatabase) return testDatabase.db;
    return createDatabase(databaseConfigFromEnv(databaseEnvSchema.parse(databaseEnv())));
  }

  it(
    "loses no acknowledged create and leaves no half-written task",
    async () => {
      // As the Dockerfile runs it: one Node process with tsx as a loader. (tsx's CLI
      // wrapper gives the child ~60 ms to acknowledge a relayed SIGTERM, then SIGKILLs it;
      // a busy server misses that, which this test caught.)
      const { main, url } = await startServerProcess({
        ...databaseEnv(),
        ...trustingEnv(issuer),
      });
      try {
        const userId = `user_shutdown_${randomUUID()}`;
        const token = await issuer.sign({ sub: userId });
        const outcomes: Outcome[] = [];
        let exited = false;
        void main.exited.then(() => (exited = true));

        const load = runWorkers(
          WRITERS,
          () => !exited,
          async (worker, iteration) => {
            const title = `w${worker}-${iteration}-${randomUUID()}`;
            const outcome = await create(url, token, title);
            outcomes.push(outcome);
            if (outcome.status !== 201) await sleep(10);
          },
        );
        // Long enough for the process to warm up (JIT, JWKS, query plans) and run at speed.
        await sleep(3_000);
        const signalledAt = performance.now();
        main.kill("SIGTERM");
        const exitCode = await main.exited;
        await load;

        const db = await openDatabase();
        const stored = await db.prisma.task.findMany({ where: { userId } });
        if (!testDatabase) await db.close();
        const sent = new Map(outcomes.map((outcome) => [outcome.title, outcome]));
        const acknowledged = outcomes.filter((outcome) => outcome.status === 201);
        const storedIds = new Set(stored.map((row) => row.id));

        expect(exitCode).toBe(0);
        expect(
          outcomes.filter(({ status }) => ![201, 503, "network error"].includes(status)),
        ).toEqual([]);
        expect(
          acknowledged.filter((outcome) => outcome.answeredAt > signalledAt).length,
        ).toBeGreaterThan(0);
        expect(acknowledged.filter((outcome) => !storedIds.has(outcome.id ?? ""))).toEqual([]);
        // Every stored row is whole: one the load sent, with every field as sent.
        for (const row of stored) {
          expect(sent.get(row.title)?.status, row.title).toBe(201);
          expect(row.description).toBe(descriptionOf(row.title));
          expect(row.completed).toBe(false);
        }
        expect(stored).toHaveLength(acknowledged.length);

        reportFigures(`shutdown under load (${driver})`, {
          requests: outcomes.length,
          acknowledged: acknowledged.length,
          acknowledgedAfterSigterm: acknowledged.filter(
            (outcome) => outcome.answeredAt > signalledAt,
          ).length,
          refused503: outcomes.filter((outcome) => outcome.status === 503).length,
          networkErrors: outcomes.filter((outcome) => outcome.status === "network error").length,
        });
      } finally {
        if (main.child.exitCode === null) main.kill("SIGKILL");
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

async function create(url: string, token: string, title: string): Promise<Outcome> {
  try {
    const response = await fetch(`${url}/api/v1/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title, description: descriptionOf(title) }),
    });
    const body = (await response.json()) as { id?: string; detail?: string };
    const { status } = response;
    const retryAfter = response.headers.get("retry-after");
    return {
      title,
      answeredAt: performance.now(),
      status,
      id: body.id,
      detail: body.detail,
      retryAfter,
    };
  } catch {
    // Refused or reset: the server was no longer there. Not acknowledged.
    return { title, answeredAt: performance.now(), status: "network error" };
  }
}

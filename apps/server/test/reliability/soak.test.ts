import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { createTestDatabase, testDrivers, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MainProcess } from "../support/main-process.ts";
import { reportFigures } from "./support/figures.ts";
import { runWorkers, sleep } from "./support/load.ts";
import { residentMiB, startServerProcess, trustingEnv } from "./support/server-process.ts";

/** CI runs 60 s; SOAK_SECONDS=600 for a longer soak. */
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = 64;
const USERS = 16;
/** Old-generation limit of the server under soak (MiB); the rest of its RSS is code, buffers and the young generation. */
const HEAP_LIMIT_MIB = 192;
/** Each client keeps at most this many tasks alive, so the table stays a steady size. */
const TASKS_PER_CLIENT = 15;
const driver = testDrivers().includes("pg") ? "pg" : "pglite";

type Operation = "list" | "search" | "create" | "get" | "update" | "toggle" | "delete";
/** About 60% reads, 40% writes. */
const MIX: Operation[] = [
  "list",
  "create",
  "get",
  "list",
  "update",
  "search",
  "toggle",
  "list",
  "delete",
  "get",
];

interface Call {
  method: string;
  path: string;
  body?: unknown;
  expected: number;
}

class Client {
  private readonly ids: string[] = [];

  constructor(
    private readonly token: string,
    private readonly name: string,
  ) {}

  next(iteration: number): Call {
    const operation = MIX[iteration % MIX.length] as Operation;
    const id = this.ids[iteration % Math.max(this.ids.length, 1)];
    const needsTask = ["get", "update", "toggle", "delete"].includes(operation);
    if (operation === "create" || (needsTask && id === undefined)) {
      return {
        method: "POST",
        path: "/api/v1/tasks",
        body: { title: `${this.name} ${iteration}` },
        expected: 201,
      };
    }
    switch (operation) {
      case "list":
        return { method: "GET", path: "/api/v1/tasks?limit=20&sort=updatedAt", expected: 200 };
      case "search":
        return {
          method: "GET",
          path: `/api/v1/tasks?q=${this.name}&status=pending`,
          expected: 200,
        };
      case "get":
        return { method: "GET", path: `/api/v1/tasks/${id}`, expected: 200 };
      case "update":
        return {
          method: "PATCH",
          path: `/api/v1/tasks/${id}`,
          body: { description: `at ${iteration}` },
          expected: 200,
        };
      case "toggle":
        return { method: "PATCH", path: `/api/v1/tasks/${id}/toggle`, expected: 200 };
      default:
        return this.deleteCall(iteration);
    }
  }

  private deleteCall(iteration: number): Call {
    if (this.ids.length <= TASKS_PER_CLIENT) return this.next(iteration + 1);
    const id = this.ids.shift();
    return { method: "DELETE", path: `/api/v1/tasks/${id}`, expected: 204 };
  }

  async send(url: string, call: Call): Promise<number> {
    const response = await fetch(`${url}${call.path}`, {
      method: call.method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(call.body !== undefined && { "content-type": "application/json" }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await response.text();
    if (response.status === 201) this.ids.push((JSON.parse(text) as { id: string }).id);
    return response.status;
  }
}

function percentile(sorted: number[], fraction: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
  return Math.round(value * 100) / 100;
}

describe(`soak: ${CONNECTIONS} connections mixing reads and writes for ${SOAK_SECONDS} s (${driver})`, () => {
  let issuer: TestIssuer;
  let testDatabase: TestDatabase | undefined;
  let server: { main: MainProcess; url: string; pid: number } | undefined;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    if (driver === "pg") testDatabase = await createTestDatabase("pg");
    server = await startServerProcess({
      ...(testDatabase?.url ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: "memory://" }),
      ...trustingEnv(issuer),
      LOG_LEVEL: "warn",
      // A heap limit, as a container's memory limit gives Node: without one, V8 on
      // this 24 GB machine lets garbage pile up for minutes before its first full
      // collection, which reads as a climb. Under the limit a leak cannot hide.
      NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MIB}`,
    });
  }, 180_000);
  afterAll(async () => {
    server?.main.kill("SIGTERM");
    await server?.main.exited;
    await testDatabase?.cleanup();
    await issuer.close();
  });

  it(
    "answers every request with success and its memory settles",
    async () => {
      if (!server) throw new Error("the server did not start");
      const { url, pid } = server;
      const tokens = await Promise.all(
        Array.from({ length: USERS }, (_, user) =>
          issuer.sign({ sub: `soak_user_${user}` }, { expiresIn: "2h" }),
        ),
      );
      const clients = Array.from(
        { length: CONNECTIONS },
        (_, index) => new Client(tokens[index % USERS] as string, `client${index}`),
      );
      const latencies: number[] = [];
      const errors: string[] = [];
      const rss: { atSecond: number; mib: number }[] = [];
      const started = performance.now();
      const deadline = started + SOAK_SECONDS * 1_000;
      const elapsed = () => Math.round((performance.now() - started) / 1_000);

      const sampling = (async () => {
        for (;;) {
          rss.push({ atSecond: elapsed(), mib: await residentMiB(pid) });
          const left = deadline - performance.now();
          if (left <= 500) break;
          await sleep(Math.min(5_000, left));
        }
      })();
      await runWorkers(
        CONNECTIONS,
        () => performance.now() < deadline,
        async (worker, iteration) => {
          const client = clients[worker] as Client;
          const call = client.next(iteration);
          const sent = performance.now();
          const status = await client.send(url, call).catch((error: unknown) => String(error));
          latencies.push(performance.now() - sent);
          if (status !== call.expected && errors.length < 20) {
            errors.push(`${call.method} ${call.path}: ${status}`);
          }
        },
      );
      await sampling;

      const seconds = (performance.now() - started) / 1_000;
      latencies.sort((a, b) => a - b);
      const start = rss[1] ?? rss[0];
      const middle = rss[Math.floor(rss.length / 2)];
      const end = rss.at(-1);
      reportFigures(`soak (${driver})`, {
        seconds: Math.round(seconds),
        connections: CONNECTIONS,
        requests: latencies.length,
        perSecond: Math.round(latencies.length / seconds),
        latencyMs: {
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          max: percentile(latencies, 1),
        },
        errors: errors.length,
        rssMiB: { beforeLoad: rss[0]?.mib, start: start?.mib, middle: middle?.mib, end: end?.mib },
        rssSeries: rss.map((sample) => `${sample.atSecond}s:${sample.mib}`).join(" "),
      });

      expect(errors).toEqual([]);
      // The soak really ran every kind of request on every connection (speed is the bench's business).
      expect(latencies.length).toBeGreaterThan(CONNECTIONS * MIX.length);
      // Settling: no steady climb in the second half (generous: GC timing moves RSS by tens of MiB).
      expect((end?.mib ?? 0) - (middle?.mib ?? 0)).toBeLessThan(64);
      expect(end?.mib ?? 0).toBeLessThan(
        Math.max(1.5 * (middle?.mib ?? 0), (middle?.mib ?? 0) + 64),
      );
      // Growth under load stays within the heap limit (PGlite's own memory is outside it).
      expect((end?.mib ?? 0) - (rss[0]?.mib ?? 0)).toBeLessThan(HEAP_LIMIT_MIB);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
    },
    SOAK_SECONDS * 1_000 + 60_000,
  );
});

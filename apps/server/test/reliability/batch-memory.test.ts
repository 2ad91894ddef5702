import { startTestIssuer, type TestIssuer } from "@tasks/auth/testing";
import { createTestDatabase, testDrivers, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MainProcess } from "../support/main-process.ts";
import { reportFigures } from "./support/figures.ts";
import {
  imageNodeOptions,
  residentMiB,
  startServerProcess,
  trustingEnv,
} from "./support/server-process.ts";

/** A batch may not grow the server's resident memory by more than this (API.md, issue 13). */
const GROWTH_LIMIT_MIB = 64;
const BATCH_SIZE = 20;
const PAGE_SIZE = 100;
/**
 * The largest character a text may hold: a flag and three tag characters, one
 * grapheme of four astral code points (16 bytes of UTF-8, 8 UTF-16 units).
 */
const WIDEST_CHARACTER = "\u{1F3F4}\u{E0067}\u{E0062}\u{E007F}";
/** Real PostgreSQL when CI provides it: the embedded database's own memory is not the server's. */
const driver = testDrivers().includes("pg") ? "pg" : "pglite";

describe(`the worst tRPC batch the server accepts (${driver})`, () => {
  let issuer: TestIssuer;
  let testDatabase: TestDatabase | undefined;
  let server: { main: MainProcess; url: string; pid: number } | undefined;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    if (driver === "pg") testDatabase = await createTestDatabase("pg");
    server = await startServerProcess({
      ...(testDatabase?.url ? { DATABASE_URL: testDatabase.url } : { PGLITE_DIR: "memory://" }),
      // As the image runs it: its heap limit decides when V8 collects.
      NODE_OPTIONS: await imageNodeOptions(),
      ...trustingEnv(issuer),
      LOG_LEVEL: "warn",
    });
  }, 180_000);
  afterAll(async () => {
    server?.main.kill("SIGTERM");
    await server?.main.exited;
    await testDatabase?.cleanup();
    await issuer.close();
  });

  it(`grows RSS by less than ${GROWTH_LIMIT_MIB} MiB: ${BATCH_SIZE} pages of ${PAGE_SIZE} of the largest tasks`, async () => {
    if (!server) throw new Error("the server did not start");
    const { url, pid } = server;
    const authorization = `Bearer ${await issuer.sign({ sub: "batch_memory" })}`;
    const task = {
      title: WIDEST_CHARACTER.repeat(200),
      description: WIDEST_CHARACTER.repeat(1000),
    };
    for (let created = 0; created < PAGE_SIZE; created += 1) {
      const response = await fetch(`${url}/api/v1/tasks`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify(task),
      });
      expect(response.status).toBe(201);
    }
    const paths = Array.from({ length: BATCH_SIZE }, () => "tasks.list").join(",");
    const inputs = Object.fromEntries(
      Array.from({ length: BATCH_SIZE }, (_, index) => [index, { limit: PAGE_SIZE }]),
    );
    const batch = `${url}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`;
    const send = async () => {
      const response = await fetch(batch, { headers: { authorization } });
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    };

    await send(); // warm: code paths compiled, pools open
    const before = await residentMiB(pid);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await residentMiB(pid));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const answers = [];
    for (let round = 0; round < 3; round += 1) answers.push(await send());
    sampling = false;
    await sampler;

    const growth = Math.round((peak - before) * 10) / 10;
    reportFigures("worst batch", {
      responseMiB: Math.round(((answers[0]?.bytes ?? 0) / 2 ** 20) * 10) / 10,
      rssBeforeMiB: before,
      rssPeakMiB: peak,
      growthMiB: growth,
    });
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(growth).toBeLessThan(GROWTH_LIMIT_MIB);
  }, 180_000);
});

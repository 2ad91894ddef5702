import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_TASKS } from "../src/seed-tasks.ts";
import { freePort } from "./http.ts";
import { run, serverDir, waitForLine, type Finished } from "./process.ts";
import type { ChildProcess } from "node:child_process";
import type { Task } from "@tasks/api";

/** `pnpm db:seed` against the issuer and the API server, each its own process on an embedded database. */
describe("the seed CLI against a running issuer and API", { timeout: 120_000 }, () => {
  const children: ChildProcess[] = [];
  let issuerUrl: string;
  let apiUrl: string;
  const seed = (args: string[] = []) =>
    run("src/seed.ts", args, { BETTER_AUTH_URL: issuerUrl, TASKS_API_URL: apiUrl }).done;

  beforeAll(async () => {
    const [issuerPort, apiPort] = [await freePort(), await freePort()];
    issuerUrl = `http://127.0.0.1:${issuerPort}`;
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const issuer = run("src/main.ts", [], {
      AUTH_ISSUER_PORT: String(issuerPort),
      AUTH_PGLITE_DIR: "memory://",
      BETTER_AUTH_URL: "",
    });
    children.push(issuer.child);
    await waitForLine(issuer.child, /listening at/);
    const env = {
      PORT: String(apiPort),
      PGLITE_DIR: "memory://",
      DATABASE_URL: "",
      AUTH_JWKS_URL: `${issuerUrl}/api/auth/jwks`,
      AUTH_ISSUER: issuerUrl,
      AUTH_AUDIENCE: issuerUrl,
    };
    const api = run("src/main.ts", [], env, serverDir);
    children.push(api.child);
    await waitForLine(api.child, /listening on/);
  }, 180_000);
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  async function tasksOf(email: string): Promise<Task[]> {
    const token = await run("src/token.ts", [email], { BETTER_AUTH_URL: issuerUrl }).done;
    expect(token.code).toBe(0);
    const response = await fetch(`${apiUrl}/api/v1/tasks?limit=100`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Task[] }).items;
  }

  function expectPrintedCredentials(result: Finished, email: string): void {
    expect(result.stdout).toContain(`  email:    ${email}\n`);
    expect(result.stdout).toContain("  password: tasks-dev-password\n");
    expect(result.stdout).toContain(
      `  token:    TOKEN=$(BETTER_AUTH_URL=${issuerUrl} pnpm -s dev:token ${email})\n`,
    );
  }

  it("creates the user and every task once, prints the credentials, and adds nothing when run again", async () => {
    const first = await seed();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^Seeded dev@example.com at ${apiUrl}: ${SEED_TASKS.length} tasks created, 0 already there.\n`,
      ),
    );
    expectPrintedCredentials(first, "dev@example.com");

    const second = await seed();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`0 tasks created, ${SEED_TASKS.length} already there.`);
    expectPrintedCredentials(second, "dev@example.com");

    const stored = (await tasksOf("dev@example.com")).map((task) => ({
      title: task.title,
      description: task.description,
      completed: task.completed,
    }));
    const expected = SEED_TASKS.map((task) => ({
      title: task.title,
      description: task.description ?? null,
      completed: task.completed ?? false,
    }));
    expect(stored).toHaveLength(SEED_TASKS.length);
    expect(stored).toEqual(expect.arrayContaining(expected));
  });

  it("seeds the user named on the command line, apart from the others", async () => {
    const result = await seed(["carol@example.com"]);
    expect(result.code, result.stderr).toBe(0);
    expectPrintedCredentials(result, "carol@example.com");
    expect(await tasksOf("carol@example.com")).toHaveLength(SEED_TASKS.length);
  });

  it("only adds what is missing after the user deleted a seeded task", async () => {
    const email = "dora@example.com";
    await seed([email]);
    const [someTask] = await tasksOf(email);
    const token = (await run("src/token.ts", [email], { BETTER_AUTH_URL: issuerUrl }).done).stdout;
    await fetch(`${apiUrl}/api/v1/tasks/${someTask?.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token.trim()}` },
    });
    const again = await seed([email]);
    expect(again.stdout).toContain(`1 task created, ${SEED_TASKS.length - 1} already there.`);
    expect((await tasksOf(email)).map((task) => task.title).sort()).toEqual(
      SEED_TASKS.map((task) => task.title).sort(),
    );
  });

  it("exits 1 with one clear line when no API is running", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const result = await run("src/seed.ts", [], {
      BETTER_AUTH_URL: issuerUrl,
      TASKS_API_URL: nowhere,
    }).done;
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `No tasks API answers at ${nowhere}. Start the product with: pnpm start\n`,
    });
  });
});

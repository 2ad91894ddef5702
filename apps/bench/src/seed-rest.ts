// Seeding through the server's own REST API, for targets whose database the bench
// cannot reach with SQL (embedded PGlite lives inside the server process).
import type { LoadFixture } from "./requests.ts";

const CONCURRENCY = 8;

async function createTask(url: string, token: string, index: number): Promise<string> {
  const response = await fetch(`${url}/api/v1/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      title: `Seeded task ${index}`,
      description: index % 3 === 0 ? `Details ${index}` : null,
    }),
  });
  if (response.status !== 201) {
    throw new Error(
      `Seeding through REST: POST /api/v1/tasks -> ${response.status} ${await response.text()}`,
    );
  }
  return ((await response.json()) as { id: string }).id;
}

async function createTasksFor(url: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(CONCURRENCY, count - start) },
      (_, offset) => start + offset,
    );
    ids.push(...(await Promise.all(batch.map((index) => createTask(url, token, index)))));
  }
  return ids;
}

export async function seedThroughRest(
  url: string,
  tokens: readonly string[],
  perUser: number,
): Promise<LoadFixture> {
  const taskIds = await Promise.all(tokens.map((token) => createTasksFor(url, token, perUser)));
  return { tokens, taskIds };
}

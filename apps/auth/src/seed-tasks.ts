// The development user's tasks, created over the REST API of a running server
// (the embedded database belongs to that server's process, so nothing else may open it).
import type { CreateTaskInput, Task } from "@tasks/api";

/** A real person's week: several scripts and emoji, some done, some with notes. */
export const SEED_TASKS: readonly CreateTaskInput[] = [
  { title: "Buy milk, eggs and bread" },
  {
    title: "Book the dentist appointment",
    description: "Dr. Okafor, any weekday morning; bring the insurance card.",
    completed: true,
  },
  {
    title: "Réserver le restaurant pour l'anniversaire de Chloé",
    description: "Samedi 19 h, six personnes, en terrasse si possible.",
  },
  { title: "Überweisung der Miete für Dezember", completed: true },
  { title: "牛乳と卵を買う" },
  { title: "Позвонить бабушке в воскресенье", description: "Спросить рецепт пирога." },
  {
    title: "Renew the passport before the trip to Kraków",
    description: "The form needs two photos (35 × 45 mm).",
  },
  { title: "Fix the leaking kitchen tap 🔧" },
  { title: "Read chapter 4 of “Designing Data-Intensive Applications”", completed: true },
  { title: "مراجعة تقرير المشروع قبل الخميس" },
  {
    title: "Plan the team offsite",
    description:
      "Budget, venue shortlist, dietary needs: ask everyone by Friday.\nDraft the agenda.",
  },
  { title: "Water the plants 🌱", completed: true },
  { title: "Cancel the unused streaming subscription" },
  { title: "Send invoice 2026-114 to Müller & Söhne GmbH", completed: true },
];

export class ApiNotRunningError extends Error {}

export interface SeedResult {
  created: number;
  existing: number;
}

/** Creates the seed tasks the user does not have yet (matched by title), so a second run adds nothing. */
export async function seedTasks(apiUrl: string, token: string): Promise<SeedResult> {
  const present = new Set((await listAll(apiUrl, token)).map((task) => task.title));
  const missing = SEED_TASKS.filter((task) => !present.has(task.title));
  for (const task of missing) {
    await call(apiUrl, token, "/api/v1/tasks", { method: "POST", body: JSON.stringify(task) });
  }
  return { created: missing.length, existing: SEED_TASKS.length - missing.length };
}

async function listAll(apiUrl: string, token: string): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
    const page = (await call(apiUrl, token, `/api/v1/tasks?${query}`)) as {
      items: Task[];
      nextCursor: string | null;
    };
    tasks.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return tasks;
}

async function call(apiUrl: string, token: string, path: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  let response: Response;
  try {
    response = await fetch(new URL(path, apiUrl), { ...init, headers });
  } catch (cause) {
    throw new ApiNotRunningError(`No tasks API answers at ${apiUrl}.`, { cause });
  }
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const detail = (body as { detail?: unknown }).detail;
    throw new Error(
      `${init.method ?? "GET"} ${path} answered ${response.status}: ${String(detail)}`,
    );
  }
  return body;
}

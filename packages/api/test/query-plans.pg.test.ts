import type { Database, Prisma } from "@tasks/db";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListTasksQuery } from "../src/index.ts";
import { TaskStore } from "../src/tasks/task-store.ts";

const USER = "plan-user";
const TASKS = 100_000;
/** The user's tasks with a rare search term, beside every tenth of TASKS. */
const RARE_TASKS = 50;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** EXPLAINs the very SQL that the store sends for each list query, on 100,000 tasks. */
describe("list and counts query plans on PostgreSQL", () => {
  let database: TestDatabase;
  let recording: Pick<Database, "sql" | "transaction">;
  let client: pg.Client;
  const captured: Prisma.Sql[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("pg");
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at)
       SELECT gen_random_uuid(), CASE WHEN n % 10 = 0 THEN $1 ELSE 'other-' || (n % 97) END,
              'task ' || n, n % 3 = 0, now() - n * interval '1 second', now() - (n % 5000) * interval '1 second'
       FROM generate_series(1, $2::int) AS n`,
      [USER, TASKS],
    );
    // A term rare among the user's tasks, in titles and descriptions.
    await client.query(
      `INSERT INTO tasks (id, user_id, title, description, created_at, updated_at)
       SELECT gen_random_uuid(), $1, CASE WHEN n % 2 = 0 THEN 'quasar ' || n ELSE 'rare ' || n END,
              CASE WHEN n % 2 = 1 THEN 'about a quasar' END,
              now() - n * interval '7 seconds', now()
       FROM generate_series(1, $2::int) AS n`,
      [USER, RARE_TASKS],
    );
    // VACUUM as well: it moves the rows just inserted from the GIN indexes' pending
    // list into the indexes proper, as autovacuum does on a live table.
    await client.query("VACUUM ANALYZE tasks");
    recording = {
      sql: (statement) => {
        captured.push(statement);
        return database.db.sql(statement);
      },
      transaction: (work) => database.db.transaction(work),
    };
  });
  afterAll(async () => {
    await client.end();
    await database.cleanup();
  });

  async function planOf(query: ListTasksQuery): Promise<PlanNode[]> {
    return planOfSelect((store) => store.list(query));
  }

  async function planOfSelect(run: (store: TaskStore) => Promise<unknown>): Promise<PlanNode[]> {
    captured.length = 0;
    await run(new TaskStore(recording, USER, () => undefined));
    const select = captured.find((statement) => /^(\/\*[^*]*\*\/ )?SELECT/.test(statement.text));
    if (!select) throw new Error("no SELECT was sent");
    const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
      `EXPLAIN (FORMAT JSON) ${select.text}`,
      select.values,
    );
    const [explained] = rows[0]?.["QUERY PLAN"] ?? [];
    if (!explained) throw new Error("no plan");
    return nodesOf(explained.Plan);
  }

  async function secondPageCursor(query: ListTasksQuery): Promise<string> {
    const first = await new TaskStore(recording, USER, () => undefined).list(query);
    if (!first.nextCursor) throw new Error("expected a second page");
    return first.nextCursor;
  }

  for (const sort of ["createdAt", "updatedAt", "title"] as const) {
    for (const order of ["desc", "asc"] as const) {
      for (const status of ["all", "pending"] as const) {
        it(`uses an index and no sequential scan: ${sort} ${order}, status ${status}`, async () => {
          const query: ListTasksQuery = { sort, order, status, limit: 20 };
          const cursor = await secondPageCursor(query);
          for (const nodes of [await planOf(query), await planOf({ ...query, cursor })]) {
            expect(nodes.some((node) => node["Node Type"] === "Seq Scan")).toBe(false);
            expect(nodes.some((node) => node["Index Name"]?.startsWith("tasks_user_"))).toBe(true);
          }
        });
      }
    }
  }

  it("counts without a search read task_counts alone, never the tasks", async () => {
    const nodes = await planOfSelect((store) => store.counts(undefined));
    expect(nodes.map((node) => node["Relation Name"]).filter(Boolean)).toEqual(["task_counts"]);
  });

  it("counts agree with the tasks the bulk insert added", async () => {
    const counts = await new TaskStore(recording, USER, () => undefined).counts(undefined);
    const { rows } = await client.query<{ total: number; completed: number }>(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE completed))::int AS completed
       FROM tasks WHERE user_id = $1`,
      [USER],
    );
    expect(counts).toEqual({
      all: rows[0]?.total,
      completed: rows[0]?.completed,
      pending: (rows[0]?.total ?? 0) - (rows[0]?.completed ?? 0),
    });
    expect(counts.all).toBe(TASKS / 10 + RARE_TASKS);
  });

  const indexesOf = (nodes: PlanNode[]) => nodes.flatMap((node) => node["Index Name"] ?? []);

  it.each([
    {
      term: "QUASAR",
      what: "finds a term rare among the user's tasks through the trigram indexes",
      uses: ["tasks_description_trgm_idx", "tasks_title_trgm_idx"],
    },
    {
      term: "task",
      what: "walks the sort index for a term most of the user's tasks match",
      uses: ["tasks_user_created_at_idx"],
    },
  ])("$what, first and next page", async ({ term, uses }) => {
    const query: ListTasksQuery = {
      sort: "createdAt",
      order: "desc",
      status: "all",
      limit: 20,
      q: term,
    };
    const cursor = await secondPageCursor(query);
    for (const nodes of [await planOf(query), await planOf({ ...query, cursor })]) {
      expect(nodes.some((node) => node["Node Type"] === "Seq Scan")).toBe(false);
      expect(indexesOf(nodes).sort()).toEqual(uses);
    }
  });
});

// Seeds through SQL, not through the API: fast, and the same rows for every target.
import type pg from "pg";
import { withPool } from "./database.ts";
import { markRareTasks } from "./scale-search.ts";

export const LOAD_USERS = ["bench-user-1", "bench-user-2", "bench-user-3", "bench-user-4"] as const;
export const TASKS_PER_LOAD_USER = 1_000;

export function scaleUserId(tasks: number): string {
  return `bench-scale-${tasks}`;
}

// One second apart, newest first: created_at order is well defined and realistic.
const SEED_SQL = `
  INSERT INTO tasks (id, user_id, title, description, completed, created_at, updated_at)
  SELECT gen_random_uuid(), u.user_id, 'Seeded task ' || g,
         CASE WHEN g % 3 = 0 THEN 'Seeded description ' || g END, g % 4 = 0, t.at, t.at
  FROM unnest($1::text[]) AS u(user_id)
  CROSS JOIN generate_series(1, $2::int) AS g
  CROSS JOIN LATERAL (SELECT now() - make_interval(secs => g) AS at) AS t`;

async function insertTasks(
  pool: pg.Pool,
  userIds: readonly string[],
  perUser: number,
): Promise<void> {
  await pool.query(SEED_SQL, [userIds, perUser]);
}

async function taskIdsOf(pool: pg.Pool, userIds: readonly string[]): Promise<string[][]> {
  const { rows } = await pool.query<{ user_id: string; ids: string[] }>(
    "SELECT user_id, array_agg(id::text ORDER BY created_at DESC) AS ids FROM tasks WHERE user_id = ANY($1) GROUP BY user_id",
    [userIds],
  );
  return userIds.map((userId) => rows.find((row) => row.user_id === userId)?.ids ?? []);
}

/** Seeds `perUser` tasks for each of `userIds` (no events: SQL bypasses the outbox); their ids. */
export async function seedUsers(
  url: string,
  userIds: readonly string[],
  perUser: number,
): Promise<string[][]> {
  return withPool(url, async (pool) => {
    await insertTasks(pool, userIds, perUser);
    return taskIdsOf(pool, userIds);
  });
}

/** Returns the load users' task ids, in LOAD_USERS order. */
export async function seedThroughSql(url: string, scales: readonly number[]): Promise<string[][]> {
  return withPool(url, async (pool) => {
    await insertTasks(pool, LOAD_USERS, TASKS_PER_LOAD_USER);
    for (const tasks of scales) {
      await insertTasks(pool, [scaleUserId(tasks)], tasks);
      await markRareTasks(pool, scaleUserId(tasks), tasks);
    }
    await pool.query("VACUUM ANALYZE tasks");
    return taskIdsOf(pool, LOAD_USERS);
  });
}

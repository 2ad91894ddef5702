// What the contract asks of every write besides the row (API.md, "Live updates"):
// its event in the outbox, in the same statement, and a word to the other
// instances. The baseline does that work too, the fastest way it knows, so that
// the write scenarios compare servers doing the same work.
import type { Pool } from "pg";

/**
 * A one-row write to tasks (`RETURNING` the task with `id` and `version`) as one
 * statement that also records its event under the user's next event id.
 */
export function withEvent(type: "created" | "updated", write: string, userParam: string): string {
  return `WITH changed AS (${write}),
    sequence AS (
      INSERT INTO task_event_sequences AS s (user_id, last_event_id)
      SELECT ${userParam}, 1 FROM changed
      ON CONFLICT (user_id) DO UPDATE SET last_event_id = s.last_event_id + 1
      RETURNING last_event_id
    ),
    recorded AS (
      INSERT INTO task_events (user_id, id, type, task_id, version, task)
      SELECT ${userParam}, sequence.last_event_id, '${type}', changed.id, changed.version,
        to_jsonb(changed)
      FROM changed CROSS JOIN sequence
    )
    SELECT * FROM changed`;
}

const NOTIFY_SQL = `SELECT count(pg_notify('task_events', user_id)) AS sent
  FROM jsonb_array_elements_text($1::jsonb) AS user_id`;

/** NOTIFY for written users: those written while one is on its way go out together in the next. */
export function notifier(pool: Pool): (userId: string) => void {
  const pending = new Set<string>();
  let sending = false;
  const send = async (): Promise<void> => {
    while (pending.size > 0) {
      const userIds = JSON.stringify([...pending]);
      pending.clear();
      await pool.query({ name: "baseline_notify", text: NOTIFY_SQL, values: [userIds] });
    }
    sending = false;
  };
  return (userId) => {
    pending.add(userId);
    if (sending) return;
    sending = true;
    queueMicrotask(() => void send());
  };
}

import { Prisma, type Database } from "@tasks/db";
import pg from "pg";
import type { Logger } from "../context.ts";
import { LocalListeners, type ChangeNotifier } from "./notifier.ts";

const CHANNEL = "task_events";
const RECONNECT_DELAY_MS = { first: 100, max: 5_000 };

/**
 * PostgreSQL LISTEN/NOTIFY. NOTIFY goes through the pool (it needs no session, so
 * it works through PgBouncer and Neon's pooled URL too); LISTEN needs one session
 * connection of its own, opened on `listenUrl` with `pg` and reopened when it
 * drops. After a reconnect every local subscriber rereads the outbox, since
 * notifications sent meanwhile are gone.
 */
export class PgNotifier implements ChangeNotifier {
  private readonly listeners = new LocalListeners();
  private readonly pending = new Set<string>();
  private sending: Promise<void> | undefined;
  private client: pg.Client | undefined;
  private closed = false;
  private connectedBefore = false;
  private retryDelayMs = RECONNECT_DELAY_MS.first;
  private retryTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly db: Pick<Database, "sql">,
    private readonly listenUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the first LISTEN succeeded, or after logging that it did not (it keeps trying). */
  static async start(db: Pick<Database, "sql">, listenUrl: string, logger: Logger) {
    const notifier = new PgNotifier(db, listenUrl, logger);
    await notifier.connect();
    return notifier;
  }

  /**
   * Users published while a NOTIFY is under way go out together in the next one:
   * under load that is one statement per round trip rather than one per write,
   * and fewer commits queueing for PostgreSQL's notification lock.
   */
  publish(userId: string): Promise<void> {
    this.pending.add(userId);
    this.sending ??= this.sendPending();
    return this.sending;
  }

  private async sendPending(): Promise<void> {
    // Publishes of the same turn of the event loop join the first statement.
    await Promise.resolve();
    while (this.pending.size > 0) {
      const userIds = JSON.stringify([...this.pending]);
      this.pending.clear();
      try {
        // `count`: the driver adapter cannot read the void that pg_notify returns.
        await this.db.sql(Prisma.sql`SELECT count(pg_notify(${CHANNEL}, user_id)) AS sent
          FROM jsonb_array_elements_text(${userIds}::jsonb) AS user_id`);
      } catch (error) {
        this.logger.warn({ err: error }, "live updates: NOTIFY failed; subscribers will poll");
      }
    }
    this.sending = undefined;
  }

  subscribe(userId: string, listener: () => void): () => void {
    return this.listeners.add(userId, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.listenUrl });
    client.on("notification", (message) => {
      if (message.payload !== undefined) this.listeners.wake(message.payload);
    });
    client.on("error", () => this.dropped(client));
    client.on("end", () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.logger.warn({ err: error }, "live updates: LISTEN failed; retrying");
      this.dropped(client);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelayMs = RECONNECT_DELAY_MS.first;
    if (this.connectedBefore) this.listeners.wakeAll();
    this.connectedBefore = true;
  }

  private dropped(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners("end");
    client.removeAllListeners("error");
    client.on("error", () => undefined);
    client.end().catch(() => undefined);
    if (this.closed || this.retryTimer !== undefined) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, RECONNECT_DELAY_MS.max);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }
}

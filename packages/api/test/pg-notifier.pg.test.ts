import type { Database } from "@tasks/db";
import { createTestDatabase, type TestDatabase } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNotifier, type ChangeNotifier } from "../src/live/index.ts";
import { MemoryLogger } from "./harness.ts";

/** Resolves once `listener` has been woken for every one of `userIds`. */
function wokenFor(notifier: ChangeNotifier, userIds: readonly string[]): Promise<void> {
  const waiting = new Set(userIds);
  return new Promise((resolve) => {
    const unsubscribes = userIds.map((userId) =>
      notifier.subscribe(userId, () => {
        waiting.delete(userId);
        if (waiting.size > 0) return;
        for (const unsubscribe of unsubscribes) unsubscribe();
        resolve();
      }),
    );
  });
}

describe("LISTEN/NOTIFY between two instances on one PostgreSQL", () => {
  let database: TestDatabase;
  let sender: ChangeNotifier;
  let receiver: ChangeNotifier;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("pg");
    const db = database.db;
    // The real database, with every statement the sender sends written down.
    const recording: Pick<Database, "sql"> = {
      sql: (query) => {
        statements.push(query.sql);
        return db.sql(query);
      },
    };
    const choice = { driver: "pg" as const, listenUrl: database.url as string };
    sender = await startNotifier(choice, recording, new MemoryLogger());
    receiver = await startNotifier(choice, db, new MemoryLogger());
  });

  afterAll(async () => {
    await sender?.close();
    await receiver?.close();
    await database?.cleanup();
  });

  it("wakes the other instance for a user id of any text", async () => {
    const userIds = ['quote " and \\ backslash', "line\nbreak", "日本語のユーザー", "emoji 🧪"];
    const woken = wokenFor(receiver, userIds);
    await Promise.all(userIds.map((userId) => sender.publish(userId)));
    await woken;
  });

  it("sends the publishes of one moment as one statement, and every user is woken", async () => {
    const userIds = Array.from({ length: 40 }, (_, index) => `burst-user-${index}`);
    const woken = wokenFor(receiver, userIds);
    statements.length = 0;
    // Three publishes per user, as three writes each would make.
    await Promise.all([...userIds, ...userIds, ...userIds].map((userId) => sender.publish(userId)));
    await woken;
    expect(statements).toHaveLength(1);
  });

  it("gathers publishes made while a NOTIFY is under way into the next one", async () => {
    const first = wokenFor(receiver, ["during-a"]);
    statements.length = 0;
    const sent = sender.publish("during-a");
    // The first statement is now on its way; these arrive while it is.
    await Promise.resolve();
    await Promise.resolve();
    const later = ["during-b", "during-c", "during-d"];
    const rest = wokenFor(receiver, later);
    const sentLater = later.map((userId) => sender.publish(userId));
    await Promise.all([sent, ...sentLater, first, rest]);
    expect(statements).toHaveLength(2);
  });
});

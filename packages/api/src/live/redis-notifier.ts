import { Redis } from "ioredis";
import type { Logger } from "../context.ts";
import { LocalListeners, type ChangeNotifier } from "./notifier.ts";

/**
 * Redis pub/sub, where REDIS_URL is set: one subscriber connection per process
 * (ioredis resubscribes by itself after a reconnect), publishes on another. After
 * a reconnect every local subscriber rereads the outbox, since messages published
 * meanwhile are gone.
 */
export class RedisNotifier implements ChangeNotifier {
  private readonly listeners = new LocalListeners();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  /** `channel` separates deployments (or test runs) sharing one Redis. */
  static async start(url: string, channel: string, logger: Logger): Promise<RedisNotifier> {
    const options = { connectTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, { connectTimeout: 1_000 });
    const notifier = new RedisNotifier(publisher, subscriber, channel, logger);
    publisher.on("error", (error) => logger.warn({ err: error }, "live updates: Redis error"));
    subscriber.on("error", (error) => logger.warn({ err: error }, "live updates: Redis error"));
    subscriber.on("message", (_channel: string, userId: string) => notifier.listeners.wake(userId));
    let subscribed = false;
    subscriber.on("ready", () => {
      if (subscribed) notifier.listeners.wakeAll();
    });
    await subscriber.subscribe(channel);
    subscribed = true;
    return notifier;
  }

  async publish(userId: string): Promise<void> {
    try {
      await this.publisher.publish(this.channel, userId);
    } catch (error) {
      this.logger.warn({ err: error }, "live updates: PUBLISH failed; subscribers will poll");
    }
  }

  subscribe(userId: string, listener: () => void): () => void {
    return this.listeners.add(userId, listener);
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Connects the driver adapter once and hands Prisma a factory that returns that
 * same adapter, so that Prisma's client and `Database.sql` share one pool.
 */
export async function sharedAdapter(
  factory: SqlDriverAdapterFactory,
): Promise<{ adapter: SqlDriverAdapter; factory: SqlDriverAdapterFactory }> {
  const adapter = await factory.connect();
  return {
    adapter,
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => Promise.resolve(adapter),
    },
  };
}

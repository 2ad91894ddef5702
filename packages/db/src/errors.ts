// Tells "the database cannot be reached right now" (worth a 503 + Retry-After and
// a retry) from every other failure. Errors arrive raw from pg/neon/PGlite or
// wrapped by Prisma, so the whole `cause` chain is inspected.

/** Socket-level failures from Node's net/dns layers. */
const unreachableSocketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** PostgreSQL SQLSTATEs: connection exceptions, server shutting down or starting, too many connections. */
const unreachableSqlStates = /^(08...|57P0[1-3]|53300)$/;

/** Prisma's driver-adapter error kinds for the same situations. */
const unreachableAdapterKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);

/** Prisma error codes: can't reach server, timed out, server closed the connection, pool timeout. */
const unreachablePrismaCodes = new Set(["P1001", "P1002", "P1017", "P2024"]);

/** pg/pg-pool/neon report these as plain Errors without a code. */
const unreachableMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:is )?(?:closed|refused|reset)/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
];

export function isDatabaseUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; isObject(current) && !seen.has(current); current = nextLink(current)) {
    seen.add(current);
    if (isUnreachable(current)) return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailableError))
      return true;
  }
  return false;
}

/**
 * An Error's `cause`; or, for the WebSocket `ErrorEvent` the Neon driver rejects
 * with when its socket fails (e.g. ECONNREFUSED), the Error inside it.
 */
function nextLink(current: ErrorLike): unknown {
  return current.cause ?? current.error;
}

interface ErrorLike {
  code?: unknown;
  error?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: unknown;
  name?: unknown;
}

function isObject(value: unknown): value is ErrorLike & object {
  return typeof value === "object" && value !== null;
}

function isUnreachable(error: ErrorLike): boolean {
  const { code, kind, message, name } = error;
  if (
    typeof code === "string" &&
    (unreachableSocketCodes.has(code) || unreachableSqlStates.test(code))
  )
    return true;
  if (typeof code === "string" && unreachablePrismaCodes.has(code)) return true;
  if (typeof kind === "string" && unreachableAdapterKinds.has(kind)) return true;
  if (name === "PrismaClientInitializationError") return true;
  if (hasUnreachableAdapterMeta(error.meta)) return true;
  return (
    typeof message === "string" && unreachableMessages.some((pattern) => pattern.test(message))
  );
}

/** Prisma's known request errors carry the adapter's error under `meta.driverAdapterError`. */
function hasUnreachableAdapterMeta(meta: unknown): boolean {
  if (!isObject(meta) || !("driverAdapterError" in meta)) return false;
  return isDatabaseUnavailableError(meta.driverAdapterError);
}

/** SQLSTATEs of a statement PostgreSQL aborted to break a deadlock or a serialization conflict. */
const conflictSqlStates = new Set(["40001", "40P01"]);

/**
 * The statement lost a deadlock or a serialization conflict: PostgreSQL rolled it
 * back whole, and running it again is what PostgreSQL's documentation advises.
 */
export function isWriteConflictError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; isObject(current) && !seen.has(current); current = nextLink(current)) {
    seen.add(current);
    const { code, kind } = current;
    if (kind === "TransactionWriteConflict") return true;
    if (typeof code === "string" && conflictSqlStates.has(code)) return true;
  }
  return false;
}

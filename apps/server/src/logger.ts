import { pino, type DestinationStream, type Logger } from "pino";
import type { ServerSettings } from "./config.ts";

const CENSORED = "[redacted]";
const CREDENTIAL_HEADERS = ["authorization", "cookie"] as const;

/** A headers object with its credentials censored. */
function withoutCredentials(headers: unknown): unknown {
  if (typeof headers !== "object" || headers === null) return headers;
  const censored: Record<string, unknown> = { ...headers };
  for (const name of CREDENTIAL_HEADERS) if (name in censored) censored[name] = CENSORED;
  return censored;
}

/**
 * Credentials never reach a log line: request lines carry no headers (Fastify's
 * `req` serializer), and a `headers`, `authorization` or `cookie` field logged
 * anywhere is censored. Serializers run only for the fields a line has, where
 * pino's path redaction cloned every line's objects: most of logging's cost.
 */
const CREDENTIAL_SERIALIZERS = {
  headers: withoutCredentials,
  authorization: () => CENSORED,
  cookie: () => CENSORED,
};

/** JSON lines on stdout (or the given stream); Fastify adds `reqId` to each request's lines. */
export function createLogger(
  config: Pick<ServerSettings, "LOG_LEVEL">,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: config.LOG_LEVEL,
    serializers: CREDENTIAL_SERIALIZERS,
  };
  return pino(options, destination ?? asyncStdout());
}

/** Lines are written once this many bytes are waiting (several request lines). */
const WRITE_AT_BYTES = 4096;
/** What waits longer than this is written anyway, so a quiet server's lines still show. */
export const FLUSH_EVERY_MS = 250;

/**
 * Standard output written asynchronously: a slow sink (a full pipe, a file under
 * writeback) then holds up a worker thread, not the event loop. Lines go out
 * several to a write: one write per line cost a thread-pool round trip per
 * request (docs/benchmarks.md). pino flushes what is left when the process exits,
 * crashes included.
 */
function asyncStdout(): DestinationStream {
  return pino.destination({
    dest: 1,
    sync: false,
    minLength: WRITE_AT_BYTES,
    periodicFlush: FLUSH_EVERY_MS,
  });
}

import { pino, type DestinationStream, type Logger } from "pino";
import type { ServerSettings } from "./config.ts";

/** Credentials never reach a log line, whatever a serializer or a handler logs. */
const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
  "authorization",
];

/** JSON lines on stdout (or the given stream); Fastify adds `reqId` to each request's lines. */
export function createLogger(
  config: Pick<ServerSettings, "LOG_LEVEL">,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  // Written asynchronously: a slow log sink (a full pipe, a file under writeback)
  // then holds up a worker thread, not the event loop. pino flushes what is left
  // when the process exits, crashes included.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

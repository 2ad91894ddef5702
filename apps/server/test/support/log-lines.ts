import { Writable } from "node:stream";

/** A pino destination that keeps each JSON log line, so tests can read what was logged. */
export class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() !== "") this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }

  /** Everything logged so far, as one string (to look for leaked secrets). */
  get text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join("\n");
  }

  withRequestId(requestId: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.reqId === requestId);
  }
}

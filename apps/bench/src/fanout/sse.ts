// A minimal incremental `text/event-stream` parser (the WHATWG rules the bench's
// streams need: `id`, `event`, `data` fields, comments, CR/LF/CRLF line ends):
// cheap enough that 200 streams in one process leave the cores to the servers.

export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

export class SseParser {
  private buffer = "";
  private id: string | undefined;
  private event = "";
  private data: string[] = [];

  /** Feeds one chunk of the body; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = lineEnd(this.buffer, start);
      if (end === -1) break;
      const line = this.buffer.slice(start, end);
      start = end + (this.buffer[end] === "\r" && this.buffer[end + 1] === "\n" ? 2 : 1);
      const message = this.line(line);
      if (message !== null) messages.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return messages;
  }

  private line(line: string): SseMessage | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? "" : line.slice(colon + 1);
    const value = raw.startsWith(" ") ? raw.slice(1) : raw;
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    return null;
  }

  private dispatch(): SseMessage | null {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = "";
    if (data.length === 0) return null;
    return { id: this.id, event: event === "" ? "message" : event, data: data.join("\n") };
  }
}

/** The index of the next CR or LF from `start`, or -1; a CR last in the buffer waits for its LF. */
function lineEnd(buffer: string, start: number): number {
  for (let index = start; index < buffer.length; index += 1) {
    const code = buffer.charCodeAt(index);
    if (code === 10) return index;
    if (code === 13) return index + 1 < buffer.length ? index : -1;
  }
  return -1;
}
